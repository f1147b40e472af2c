package dev.twinflow.system;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** Where every record of an {@link AppendLog} starts: written by its writer thread only, read by anyone. */
final class LogIndex {

    private final ReadWriteLock truncation = new ReentrantReadWriteLock();

    // offsets[i] is where record i starts and offsets[count] where the log ends. The writer replaces
    // offsets before it publishes count, so a reader that reads count first and offsets second always
    // sees an array holding count + 1 valid entries.
    private volatile long[] offsets;
    private volatile int count;

    /** The index recovery built: {@code offsets[count]} is where the log ends. */
    LogIndex(long[] offsets, int count) {
        publish(offsets, count);
    }

    /** Number of records; read it before {@link #offsets()}. */
    int count() {
        return count;
    }

    /** The current offsets array, holding at least {@code count() + 1} valid entries when read after it. */
    long[] offsets() {
        return offsets;
    }

    /** Where the last record ends (the writer's view: only the writer thread changes the index). */
    long end() {
        return offsets[count];
    }

    /** Makes records durable on disk visible: offsets first, then count (see the field comment). */
    void publish(long[] offsets, int count) {
        this.offsets = offsets;
        this.count = count;
    }

    /** Forgets every record; only under {@link #truncating()}, once the file is cut to zero. */
    void reset() {
        count = 0;
        offsets[0] = 0;
    }

    /** Held by readers while they read the file through an index they took, so a clear cannot cut it. */
    Lock reading() {
        return truncation.readLock();
    }

    /** Held by the writer while it cuts the file and resets the index. */
    Lock truncating() {
        return truncation.writeLock();
    }
}
