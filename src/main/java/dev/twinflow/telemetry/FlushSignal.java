package dev.twinflow.telemetry;

import org.springframework.stereotype.Component;

/** Wakes the flusher before its interval is up: a stream ended, was refused or cancelled, or is full. */
@Component
class FlushSignal {

    private boolean requested;

    /** Asks for a flush as soon as the one under way, if any, is done. */
    synchronized void request() {
        requested = true;
        notifyAll();
    }

    /** Waits until a flush is requested or {@code millis} have passed, then clears the request. */
    synchronized void await(long millis) throws InterruptedException {
        if (!requested) {
            wait(millis);
        }
        requested = false;
    }
}
