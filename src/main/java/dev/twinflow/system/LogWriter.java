package dev.twinflow.system;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes an {@link AppendLog}: group commit, and the only one changing its index.
 *
 * <p>Callers hand it batches of records and get a future that completes only after the bytes are
 * written and {@code fdatasync}ed; with group commit on, every batch waiting in the queue at that
 * moment shares one write and one sync, so concurrent callers pay one sync between them. Appending
 * never reads the file, so its cost does not depend on the size.
 */
final class LogWriter {

    // logged under AppendLog, as before it was split
    private static final Logger LOG = LoggerFactory.getLogger(AppendLog.class);
    private static final int MAX_BATCH_BYTES = 8 << 20;
    private static final int QUEUE_CAPACITY = 16_384;

    private final Path file;
    private final boolean groupCommit;
    private final FileChannel channel;
    private final LogIndex index;
    private final BlockingQueue<Op> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private volatile boolean closed;

    private sealed interface Op permits Append, Clear {
        CompletableFuture<Long> done();
    }

    private record Append(List<byte[]> records, CompletableFuture<Long> done) implements Op {}

    private record Clear(CompletableFuture<Long> done) implements Op {}

    /** Starts the writer thread on a file already recovered into {@code index}. */
    LogWriter(Path file, boolean groupCommit, FileChannel channel, LogIndex index) {
        this.file = file;
        this.groupCommit = groupCommit;
        this.channel = channel;
        this.index = index;
        thread = new Thread(this::writeLoop, "append-log-" + file.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    CompletableFuture<Long> append(List<byte[]> records) {
        return submit(new Append(records, new CompletableFuture<>()));
    }

    CompletableFuture<Long> clear() {
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

    /** Refuses new work, then waits up to 10 s for the thread to finish every queued op. */
    void stop() throws InterruptedException {
        closed = true;
        thread.join(10_000);
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
            index.truncating().lock();
            try {
                channel.truncate(0);
                channel.force(true);
                index.reset();
            } finally {
                index.truncating().unlock();
            }
            clear.done().complete(0L);
            return;
        }
        int n = index.count();
        long[] offsets = index.offsets();
        long position = offsets[n];
        int records = 0;
        for (Op op : batch) {
            records += ((Append) op).records().size();
        }
        if (n + records + 1 > offsets.length) {
            offsets = Arrays.copyOf(offsets, Math.max(offsets.length * 2, n + records + 1));
        }
        long[] firstIndexes = new long[batch.size()];
        buffer.clear();
        for (int b = 0; b < batch.size(); b++) {
            firstIndexes[b] = n;
            for (byte[] record : ((Append) batch.get(b)).records()) {
                offsets[n++] = position;
                position += record.length + 1;
                put(record);
            }
        }
        offsets[n] = position;
        buffer.flip();
        long at = offsets[index.count()];
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
        // acknowledged only once synced, and published only once synced: a reader never sees a record
        // that a crash could still take back
        channel.force(false);
        index.publish(offsets, n);
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
            channel.truncate(index.end());
        } catch (IOException e) {
            LOG.error("cannot cut {} back to its last acknowledged record", file, e);
        }
    }
}
