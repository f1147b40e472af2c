package dev.twinflow.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** A real HDFS for tests: name node and one data node in this JVM, on free ports, in a temp folder. */
public final class MiniHdfs implements AutoCloseable {

    private final MiniDFSCluster cluster;

    public MiniHdfs() {
        try {
            Configuration conf = new Configuration();
            // the cluster's own local file system: an app run earlier in this JVM may have cached a
            // RawLocalFileSystem for file:// (its export settings), which the cluster cannot use
            conf.setBoolean("fs.file.impl.disable.cache", true);
            conf.set(
                    MiniDFSCluster.HDFS_MINIDFS_BASEDIR,
                    Files.createTempDirectory("minidfs").toString());
            cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
            cluster.waitActive();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String uri() {
        return cluster.getURI().toString();
    }

    /**
     * The name node's WebHDFS address, {@code webhdfs://127.0.0.1:<http port>} (WebHDFS is on by
     * default; seed 004's {@code HDFS_WEB_API_URL} without {@code http:} and {@code /webhdfs/v1}).
     */
    public String webHdfsUri() {
        try {
            Class.forName("javax.xml.bind.JAXBContext");
        } catch (ClassNotFoundException e) {
            // else every WebHDFS call answers 404 or 500 and the cause is only in the name node's log
            throw new IllegalStateException("the name node's WebHDFS (Jersey 1) needs javax.xml.bind"
                    + " (javax.xml.bind:jaxb-api, test scope) on the test class path: Java 17 has no JAXB");
        }
        return "webhdfs://127.0.0.1:" + cluster.getNameNode().getHttpAddress().getPort();
    }

    public FileSystem fs() throws IOException {
        return cluster.getFileSystem();
    }

    public MiniDFSCluster cluster() {
        return cluster;
    }

    /** Published files (not temporary ones) under {@code dir} whose names end with {@code extension}. */
    public List<Path> files(String dir, String extension) throws IOException {
        return files(fs(), dir, extension);
    }

    /** {@link #files(String, String)} through {@code fs} (hdfs:// or webhdfs://). */
    public static List<Path> files(FileSystem fs, String dir, String extension) throws IOException {
        List<Path> files = new ArrayList<>();
        Path path = new Path(dir);
        if (!fs.exists(path)) {
            return files;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
        while (it.hasNext()) {
            Path p = it.next().getPath();
            if (p.getName().endsWith("." + extension) && !p.toUri().getPath().contains("/_tmp/")) {
                files.add(p);
            }
        }
        return files;
    }

    /** Every row of the Parquet files under {@code dir}, read with parquet-avro. */
    public List<GenericRecord> parquetRows(String dir) throws IOException {
        return parquetRows(fs(), dir);
    }

    /** {@link #parquetRows(String)} through {@code fs} (hdfs:// or webhdfs://). */
    public static List<GenericRecord> parquetRows(FileSystem fs, String dir) throws IOException {
        List<GenericRecord> rows = new ArrayList<>();
        for (Path file : files(fs, dir, "parquet")) {
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                            HadoopInputFile.fromPath(file, fs.getConf()))
                    .build()) {
                for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                    rows.add(r);
                }
            }
        }
        return rows;
    }

    @Override
    public void close() {
        cluster.shutdown(true);
    }
}
