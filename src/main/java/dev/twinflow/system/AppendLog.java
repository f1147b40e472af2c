package dev.twinflow.system;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, append-only JSON Lines file: one JSON object per line, UTF-8, {@code \n} after each.
 *
 * <p>A single writer thread owns the file. Callers hand it batches of records and get a future that
 * completes only after the bytes are written and {@code fdatasync}ed; with group commit on, every
 * batch waiting in the queue at that moment shares one write and one sync, so concurrent callers pay
 * one sync between them. Appending never reads the file, so its cost does not depend on the size.
 *
 * <p>On open the file is scanned once: the start of every line goes into an in-memory index (8 bytes
 * a record) that serves reads by position. Records are only ever acknowledged after their trailing
 * {@code \n} is synced, so anything after the last well-formed line is an unacknowledged torn write:
 * it is copied aside to {@code <file>.torn-<epoch-ms>} and cut off.
 */
public final class AppendLog implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AppendLog.class);
    private static final int MAX_BATCH_BYTES = 8 << 20;
    private static final int QUEUE_CAPACITY = 16_384;

    private final Path file;
    private final boolean groupCommit;
    private final FileChannel channel;
    private final BlockingQueue<Op> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final ReadWriteLock truncation = new ReentrantReadWriteLock();
    private final Thread writer;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);

    // offsets[i] is where record i starts and offsets[count] where the log ends. The writer replaces
    // offsets before it publishes count, so a reader that reads count first and offsets second always
    // sees an array holding count + 1 valid entries.
    private volatile long[] offsets = new long[1024];
    private volatile int count;
    private volatile boolean closed;

    private sealed interface Op permits Append, Clear {
        CompletableFuture<Long> done();
    }

    private record Append(List<byte[]> records, CompletableFuture<Long> done) implements Op {}

    private record Clear(CompletableFuture<Long> done) implements Op {}

    /**
     * Opens (or creates) the log, recovering from a torn tail.
     *
     * @param groupCommit {@code true} to share one sync among all waiting batches; {@code false} to
     *     sync every batch on its own (the slower baseline the benchmark compares against)
     */
    public AppendLog(Path file, boolean groupCommit) {
        this.file = file;
        this.groupCommit = groupCommit;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            boolean created = !Files.exists(file);
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (created) {
                syncDirectory(file.toAbsolutePath().getParent());
            }
            recover();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log " + file, e);
        }
        writer = new Thread(this::writeLoop, "append-log-" + file.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    /** Number of records in the log. */
    public long size() {
        return count;
    }

    /**
     * Appends records, each one JSON object serialized on one line without the trailing newline.
     *
     * @return a future completing with the index of the first record once all are durable
     */
    public CompletableFuture<Long> append(List<byte[]> records) {
        return submit(new Append(records, new CompletableFuture<>()));
    }

    /** Removes every record; the future completes once the empty file is durable. */
    public CompletableFuture<Long> clear() {
        return submit(new Clear(new CompletableFuture<>()));
    }

    private CompletableFuture<Long> submit(Op op) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("log closed: " + file));
        }
        try {
            queue.put(op); // blocks when the writer is behind: back-pressure instead of unbounded memory
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            op.done().completeExceptionally(e);
        }
        return op.done();
    }

    /**
     * Reads up to {@code limit} records from index {@code from}, as a JSON array of the stored lines.
     */
    public byte[] readJsonArray(long from, int limit) {
        truncation.readLock().lock();
        try {
            int n = count;
            long[] index = offsets;
            if (from >= n || limit <= 0) {
                return new byte[] {'[', ']'};
            }
            int first = (int) from;
            int last = (int) Math.min(n, from + limit); // exclusive
            long start = index[first];
            long stop = index[last];
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
                out[(int) (index[i] - start)] = ',';
            }
            out[length] = ']';
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            truncation.readLock().unlock();
        }
    }

    /** Hands every record to {@code each}, oldest first, reading a few MiB at a time. */
    public void forEach(java.util.function.Consumer<byte[]> each) {
        forEach(0, count, each);
    }

    /** Hands the records of index {@code first} (inclusive) to {@code end} (exclusive) to {@code each}. */
    public void forEach(long first, long end, java.util.function.Consumer<byte[]> each) {
        int n = (int) Math.min(end, count);
        int from = (int) Math.max(0, first);
        while (from < n) {
            truncation.readLock().lock();
            try {
                long[] index = offsets;
                if (count < n) {
                    return; // cleared meanwhile
                }
                int to = from;
                while (to < n && index[to + 1] - index[from] < (4 << 20)) {
                    to++;
                }
                to = Math.max(to, from + 1);
                ByteBuffer chunk = ByteBuffer.allocate(Math.toIntExact(index[to] - index[from]));
                while (chunk.hasRemaining()) {
                    if (channel.read(chunk, index[from] + chunk.position()) < 0) {
                        throw new IOException("log shorter than its index: " + file);
                    }
                }
                for (int i = from; i < to; i++) {
                    int start = (int) (index[i] - index[from]);
                    int length = (int) (index[i + 1] - index[i]) - 1; // without the newline
                    each.accept(java.util.Arrays.copyOfRange(chunk.array(), start, start + length));
                }
                from = to;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                truncation.readLock().unlock();
            }
        }
    }

    // never interrupted: an interrupt during FileChannel I/O would close the channel
    private void writeLoop() {
        List<Op> batch = new ArrayList<>();
        while (true) {
            try {
                Op first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed) {
                        break;
                    }
                    continue;
                }
                batch.add(first);
                if (groupCommit && first instanceof Append) {
                    drainAppends(batch);
                }
                process(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable e) {
                LOG.error("append to {} failed", file, e);
                batch.forEach(op -> op.done().completeExceptionally(e));
                discardUnacknowledgedTail();
            } finally {
                batch.clear();
            }
        }
        for (Op op; (op = queue.poll()) != null; ) {
            op.done().completeExceptionally(new IllegalStateException("log closed: " + file));
        }
    }

    private void drainAppends(List<Op> batch) {
        int bytes = 0;
        Op next;
        while (bytes < MAX_BATCH_BYTES && (next = queue.peek()) instanceof Append append) {
            batch.add(queue.poll());
            for (byte[] r : append.records()) {
                bytes += r.length + 1;
            }
        }
    }

    private void process(List<Op> batch) throws IOException {
        if (batch.get(0) instanceof Clear clear) {
            truncation.writeLock().lock();
            try {
                channel.truncate(0);
                channel.force(true);
                count = 0;
                offsets[0] = 0;
            } finally {
                truncation.writeLock().unlock();
            }
            clear.done().complete(0L);
            return;
        }
        int n = count;
        long[] index = offsets;
        long position = index[n];
        int records = 0;
        for (Op op : batch) {
            records += ((Append) op).records().size();
        }
        if (n + records + 1 > index.length) {
            index = Arrays.copyOf(index, Math.max(index.length * 2, n + records + 1));
        }
        long[] firstIndexes = new long[batch.size()];
        buffer.clear();
        for (int b = 0; b < batch.size(); b++) {
            firstIndexes[b] = n;
            for (byte[] record : ((Append) batch.get(b)).records()) {
                index[n++] = position;
                position += record.length + 1;
                put(record);
            }
        }
        index[n] = position;
        buffer.flip();
        long at = index[count];
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
        channel.force(false);
        offsets = index;
        count = n;
        for (int b = 0; b < batch.size(); b++) {
            batch.get(b).done().complete(firstIndexes[b]);
        }
    }

    private void put(byte[] record) {
        if (buffer.remaining() < record.length + 1) {
            int needed = buffer.position() + record.length + 1;
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, needed));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        buffer.put(record).put((byte) '\n');
    }

    // a failed write may have left part of a batch behind the last acknowledged record
    private void discardUnacknowledgedTail() {
        try {
            channel.truncate(offsets[count]);
        } catch (IOException e) {
            LOG.error("cannot cut {} back to its last acknowledged record", file, e);
        }
    }

    /** Scans the file, builds the index and cuts off a torn or corrupt tail. */
    private void recover() throws IOException {
        long size = channel.size();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        long[] index = offsets;
        int n = 0;
        long lineStart = 0;
        long goodEnd = 0;
        boolean lineOk = true;
        byte previous = '\n';
        long pos = 0;
        scan:
        while (pos < size) {
            chunk.clear();
            int read = channel.read(chunk, pos);
            if (read <= 0) {
                break;
            }
            byte[] a = chunk.array();
            for (int i = 0; i < read; i++) {
                byte c = a[i];
                if (previous == '\n' && c != '{') {
                    lineOk = false;
                }
                if (c == 0) {
                    lineOk = false; // zero-filled blocks: data that never reached the disk
                }
                if (c == '\n') {
                    if (!lineOk || previous != '}') {
                        break scan;
                    }
                    if (n + 1 == index.length) {
                        index = Arrays.copyOf(index, index.length * 2);
                    }
                    index[n++] = lineStart;
                    lineStart = pos + i + 1;
                    goodEnd = lineStart;
                    lineOk = true;
                }
                previous = c;
            }
            pos += read;
        }
        if (goodEnd < size) {
            Path aside = file.resolveSibling(file.getFileName() + ".torn-" + System.currentTimeMillis());
            try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                channel.transferTo(goodEnd, size - goodEnd, out);
                out.force(true);
            }
            LOG.warn(
                    "{}: dropped {} bytes after the last complete record (a write cut short by a crash); copied to {}",
                    file,
                    size - goodEnd,
                    aside);
            channel.truncate(goodEnd);
            channel.force(true);
        }
        index[n] = goodEnd;
        offsets = index;
        count = n;
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot sync directory {}: {}", dir, e.toString());
        }
    }

    /** Finishes every queued append, then closes the file. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(10_000);
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
