package dev.twinflow.export;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/** Parquet's view of an already created stream; closing it syncs before it closes. */
record SyncedOutputFile(FSDataOutputStream out) implements OutputFile {
    @Override
    public PositionOutputStream create(long blockSizeHint) {
        PositionOutputStream wrapped = HadoopStreams.wrap(out);
        return new PositionOutputStream() {
            @Override
            public long getPos() throws IOException {
                return wrapped.getPos();
            }

            @Override
            public void write(int b) throws IOException {
                wrapped.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                wrapped.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                wrapped.flush();
            }

            @Override
            public void close() throws IOException {
                out.hsync();
                wrapped.close();
            }
        };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }
}
