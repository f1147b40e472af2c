package dev.twinflow.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/** Reads records of an {@link AppendLog} by position through its index, on the caller's thread. */
final class LogReader {

    private final Path file;
    private final FileChannel channel;
    private final LogIndex index;

    LogReader(Path file, FileChannel channel, LogIndex index) {
        this.file = file;
        this.channel = channel;
        this.index = index;
    }

    /** Up to {@code limit} records from index {@code from}, as a JSON array of the stored lines. */
    byte[] readJsonArray(long from, int limit) {
        index.reading().lock();
        try {
            int n = index.count();
            long[] offsets = index.offsets();
            if (from >= n || limit <= 0) {
                return new byte[] {'[', ']'};
            }
            int first = (int) from;
            int last = (int) Math.min(n, from + limit); // exclusive
            long start = offsets[first];
            long stop = offsets[last];
            int length = Math.toIntExact(stop - start);
            byte[] out = new byte[length + 1];
            out[0] = '[';
            ByteBuffer target = ByteBuffer.wrap(out, 1, length);
            while (target.hasRemaining()) {
                if (channel.read(target, start + target.position() - 1) < 0) {
                    throw new IOException("log shorter than its index: " + file);
                }
            }
            // every record ends with '\n'; inside the array those become separators and the closer
            for (int i = first + 1; i < last; i++) {
                out[(int) (offsets[i] - start)] = ',';
            }
            out[length] = ']';
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            index.reading().unlock();
        }
    }

    /** Hands the records of index {@code first} (inclusive) to {@code end} (exclusive) to {@code each}. */
    void forEach(long first, long end, Consumer<byte[]> each) {
        int n = (int) Math.min(end, index.count());
        int from = (int) Math.max(0, first);
        while (from < n) {
            index.reading().lock();
            try {
                long[] offsets = index.offsets();
                if (index.count() < n) {
                    return; // cleared meanwhile
                }
                int to = from;
                while (to < n && offsets[to + 1] - offsets[from] < (4 << 20)) {
                    to++;
                }
                to = Math.max(to, from + 1);
                ByteBuffer chunk = ByteBuffer.allocate(Math.toIntExact(offsets[to] - offsets[from]));
                while (chunk.hasRemaining()) {
                    if (channel.read(chunk, offsets[from] + chunk.position()) < 0) {
                        throw new IOException("log shorter than its index: " + file);
                    }
                }
                for (int i = from; i < to; i++) {
                    int start = (int) (offsets[i] - offsets[from]);
                    int length = (int) (offsets[i + 1] - offsets[i]) - 1; // without the newline
                    each.accept(Arrays.copyOfRange(chunk.array(), start, start + length));
                }
                from = to;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                index.reading().unlock();
            }
        }
    }
}
