package dev.twinflow.export;

import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.Engine;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.springframework.stereotype.Component;

/**
 * The file system the exports go to, through the real Hadoop client: a cluster when {@code
 * twinflow.hdfs.uri} is set ({@code hdfs://} over RPC, or {@code webhdfs://} over the name node's
 * HTTP port), else Hadoop's local file system under {@code <data-dir>/hdfs} (raw, so no {@code .crc}
 * side files and {@code hsync} is an fsync).
 *
 * <p>WebHDFS streams a file to a data node in one HTTP request: its streams have no {@code hsync}
 * (Hadoop turns it into a flush), and {@code close()} returns once the data node has closed the file
 * on the cluster, so a file is complete before it is renamed, but on the data nodes' disks only as
 * the cluster's {@code dfs.datanode.synconclose} says.
 *
 * <p>Over 200 lines: every Hadoop FileSystem call of the exports is here, so the differences between
 * a local file system, HDFS over RPC and WebHDFS (rename, create-if-absent, hsync) stay in one class.
 */
@Component
public class HdfsStore {

    private final FileSystem fs;
    private final Path root;
    private final Engine engine;

    HdfsStore(HdfsProperties hdfs, TwinflowProperties twinflow) throws IOException, InterruptedException {
        Configuration conf = new Configuration();
        conf.setClass("fs.file.impl", RawLocalFileSystem.class, FileSystem.class);
        // the client retries a dead name node for minutes by default; the export has its own retries
        conf.setInt("ipc.client.connect.max.retries", 2);
        conf.setInt("ipc.client.connect.max.retries.on.timeouts", 2);
        conf.setInt("dfs.client.retry.policy.spec.max", 2);
        String relative = hdfs.root().replaceFirst("^/+", "");
        if (hdfs.uri() == null || hdfs.uri().toString().isBlank()) {
            URI base = twinflow.dataDir().toAbsolutePath().resolve("hdfs").toUri();
            fs = FileSystem.newInstance(base, conf);
            root = new Path(new Path(base), relative);
            engine = Engine.embedded(
                    "hdfs", "Hadoop local file system under <data-dir>/hdfs" + hdfs.root() + " (twinflow.hdfs.uri)");
        } else {
            URI uri = fileSystemUri(hdfs.uri());
            // over WebHDFS the user is the user.name of every request
            fs = hdfs.user() == null || hdfs.user().isBlank()
                    ? FileSystem.newInstance(uri, conf)
                    : FileSystem.newInstance(uri, conf, hdfs.user());
            root = new Path(new Path(uri), relative);
            engine = Engine.external("hdfs", root.toString());
        }
    }

    /**
     * The file system of {@code twinflow.hdfs.uri}: a WebHDFS REST address as seed 004 writes it
     * ({@code http://namenode:9870/webhdfs/v1}) is Hadoop's {@code webhdfs://namenode:9870} (https:
     * {@code swebhdfs://}); Hadoop's own {@code http} file system could only read.
     */
    static URI fileSystemUri(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        if ((scheme.equals("http") || scheme.equals("https")) && path.equals("/webhdfs/v1")) {
            return URI.create((scheme.equals("http") ? "webhdfs" : "swebhdfs") + "://" + uri.getRawAuthority());
        }
        return uri;
    }

    Engine engine() {
        return engine;
    }

    FileSystem fs() {
        return fs;
    }

    /** The export root ({@code .../twinflow}). */
    public Path root() {
        return root;
    }

    /** A path below the export root, as {@code GET /exports} names it ({@code machine_data/dt=.../x.parquet}). */
    String relative(Path path) {
        return path.toUri().getPath().substring(root.toUri().getPath().length() + 1);
    }

    /** Whether {@code path} exists (asks the name node). */
    public boolean exists(Path path) throws IOException {
        return fs.exists(path);
    }

    FSDataOutputStream create(Path file) throws IOException {
        fs.mkdirs(file.getParent());
        return fs.create(file, false);
    }

    /**
     * Publishes a complete file under its final name, never replacing one: if a file of that name is
     * there already, the answer is false and {@code tmp} stays where it is. The check and the rename are one
     * step: HDFS's rename refuses an existing target (answering false, not throwing, over RPC and
     * WebHDFS alike, so the target is asked for after a refusal); on a local file system the file is
     * hard-linked to its name (which fails if the name exists) and its temporary name removed.
     */
    boolean publish(Path tmp, Path target) throws IOException {
        fs.mkdirs(target.getParent());
        if (fs instanceof RawLocalFileSystem local) {
            try {
                Files.createLink(
                        local.pathToFile(target).toPath(), local.pathToFile(tmp).toPath());
            } catch (FileAlreadyExistsException e) {
                return false;
            }
            fs.delete(tmp, false);
            return true;
        }
        if (fs.rename(tmp, target)) {
            return true;
        }
        if (fs.exists(target)) {
            return false;
        }
        throw new IOException("could not rename " + tmp + " to " + target);
    }

    /**
     * Takes the lock {@code lock} (a file created only if absent: atomic on HDFS and on a local file
     * system), for a step that must not interleave with another instance's. A lock older than {@code
     * stale} is left by a dead holder and is taken over.
     *
     * @return whether this caller holds it now
     */
    boolean tryLock(Path lock, java.time.Duration stale) throws IOException {
        fs.mkdirs(lock.getParent());
        try {
            if (fs instanceof RawLocalFileSystem local) {
                // O_EXCL: Hadoop's local create checks and then creates, which two callers can both pass
                Files.createFile(local.pathToFile(lock).toPath());
            } else {
                // over WebHDFS the name node's refusal arrives with the answer to the upload, in close()
                fs.create(lock, false).close();
            }
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException | FileAlreadyExistsException e) {
            FileStatus held;
            try {
                held = fs.getFileStatus(lock);
            } catch (java.io.FileNotFoundException released) {
                return false; // released meanwhile: the next try may take it
            }
            if (System.currentTimeMillis() - held.getModificationTime() > stale.toMillis()) {
                fs.delete(lock, false);
            }
            return false;
        }
    }

    void unlock(Path lock) {
        deleteQuietly(lock);
    }

    /**
     * Every published file under {@code dir}, recursively; none if it does not exist. Temporary and
     * lock folders ({@code _tmp}, {@code _locks}) are not entered, and an entry that vanishes while it
     * is listed (another instance renaming or deleting) is skipped.
     */
    List<FileStatus> files(Path dir) throws IOException {
        List<FileStatus> files = new ArrayList<>();
        collect(dir, files);
        return files;
    }

    private void collect(Path dir, List<FileStatus> into) throws IOException {
        FileStatus[] entries;
        try {
            entries = fs.listStatus(dir);
        } catch (java.io.FileNotFoundException gone) {
            return;
        }
        for (FileStatus e : entries) {
            String name = e.getPath().getName();
            if (e.isDirectory()) {
                if (!name.equals("_tmp") && !name.equals("_locks")) {
                    collect(e.getPath(), into);
                }
            } else {
                into.add(e);
            }
        }
    }

    /** The sub folders of {@code dir}; none if it does not exist. */
    List<FileStatus> folders(Path dir) throws IOException {
        List<FileStatus> folders = new ArrayList<>();
        if (!fs.exists(dir)) {
            return folders;
        }
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isDirectory()) {
                folders.add(s);
            }
        }
        return folders;
    }

    void deleteQuietly(Path path) {
        try {
            fs.delete(path, true);
        } catch (IOException | RuntimeException ignored) {
            // a temporary file of a failed batch: the next start clears the folder
        }
    }

    @PreDestroy
    void close() throws IOException {
        fs.close();
    }
}
