package dev.twinflow.export;

import java.time.Duration;

/** After a file system failure: the wait before the next try, and the next batch's failure that makes the consumer read again. */
final class BackOff {

    private final Duration retryWait;
    private long failedAt;
    private boolean rewind;

    BackOff(Duration retryWait) {
        this.retryWait = retryWait;
    }

    /**
     * The file system failed now; open files were dropped. {@code rewind}: the next batch must fail, as
     * nothing else makes the consumer read the dropped records again (false when the failure was a batch's).
     */
    void failed(boolean rewind) {
        failedAt = System.nanoTime();
        this.rewind = rewind;
    }

    /** How long (ms) the next try is to wait still; 0 when there is no failure to wait after (then or later). */
    long takeWait() {
        if (failedAt == 0) {
            return 0;
        }
        long left = retryWait.toNanos() - (System.nanoTime() - failedAt);
        failedAt = 0;
        return left > 0 ? left / 1_000_000 + 1 : 0;
    }

    /** Whether this batch must fail so the consumer reads again from the commits (true once per failure). */
    boolean takeRewind() {
        boolean r = rewind;
        rewind = false;
        return r;
    }
}
