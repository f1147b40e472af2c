package dev.twinflow.system;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A durable, append-only JSON Lines file: one JSON object per line, UTF-8, {@code \n} after each.
 *
 * <p>A single writer thread owns the file ({@link LogWriter}). Callers hand it batches of records and
 * get a future that completes only after the bytes are written and {@code fdatasync}ed; with group
 * commit on, every batch waiting in the queue at that moment shares one write and one sync, so
 * concurrent callers pay one sync between them. Appending never reads the file, so its cost does not
 * depend on the size.
 *
 * <p>On open the file is scanned once ({@link LogRecovery}): the start of every line goes into an
 * in-memory index ({@link LogIndex}, 8 bytes a record) that serves reads by position ({@link
 * LogReader}). Records are only ever acknowledged after their trailing {@code \n} is synced, so
 * anything after the last well-formed line is an unacknowledged torn write: it is copied aside to
 * {@code <file>.torn-<epoch-ms>} and cut off.
 */
public final class AppendLog implements Closeable {

    private final FileChannel channel;
    private final LogIndex index;
    private final LogReader reader;
    private final LogWriter writer;

    /**
     * Opens (or creates) the log, recovering from a torn tail.
     *
     * @param groupCommit {@code true} to share one sync among all waiting batches; {@code false} to
     *     sync every batch on its own (the slower baseline the benchmark compares against)
     */
    public AppendLog(Path file, boolean groupCommit) {
        try {
            channel = LogRecovery.open(file);
            index = LogRecovery.recover(file, channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log " + file, e);
        }
        reader = new LogReader(file, channel, index);
        // started only once recovery is done: the writer appends behind the last complete record
        writer = new LogWriter(file, groupCommit, channel, index);
    }

    /** Number of records in the log. */
    public long size() {
        return index.count();
    }

    /**
     * Appends records, each one JSON object serialized on one line without the trailing newline.
     *
     * @return a future completing with the index of the first record once all are durable
     */
    public CompletableFuture<Long> append(List<byte[]> records) {
        return writer.append(records);
    }

    /** Removes every record; the future completes once the empty file is durable. */
    public CompletableFuture<Long> clear() {
        return writer.clear();
    }

    /**
     * Reads up to {@code limit} records from index {@code from}, as a JSON array of the stored lines.
     */
    public byte[] readJsonArray(long from, int limit) {
        return reader.readJsonArray(from, limit);
    }

    /** Hands every record to {@code each}, oldest first, reading a few MiB at a time. */
    public void forEach(Consumer<byte[]> each) {
        reader.forEach(0, index.count(), each);
    }

    /** Hands the records of index {@code first} (inclusive) to {@code end} (exclusive) to {@code each}. */
    public void forEach(long first, long end, Consumer<byte[]> each) {
        reader.forEach(first, end, each);
    }

    /** Finishes every queued append, then closes the file. */
    @Override
    public void close() {
        try {
            writer.stop();
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
