package dev.twinflow.telemetry;

import dev.twinflow.telemetry.proto.Packet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The {@code flush-telemetry} route's step, called flush after flush on one thread: waits until a flush
 * is due (every flush interval, at once when a stream ends, is refused or is full), runs it and
 * returns the packets Redis counted, which the route queues for Kafka.
 */
@Component("telemetryFlusher")
class TelemetryFlusher implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryFlusher.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final RedisFlush flush;
    private final FlushSignal signal;
    private final OpenStreams streams;
    private final long interval;
    private final Object flushed = new Object();
    private volatile boolean running;

    TelemetryFlusher(RedisFlush flush, FlushSignal signal, OpenStreams streams, TelemetryProperties properties) {
        this.flush = flush;
        this.signal = signal;
        this.streams = streams;
        this.interval = properties.flushInterval().toMillis();
    }

    /** Waits for the next flush to be due, runs it and returns the packets Redis counted (maybe none). */
    public List<Packet> flushWhenDue() {
        try {
            signal.await(interval);
            return flush.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (RuntimeException e) {
            LOG.error("telemetry flush failed", e);
            return List.of();
        } finally {
            synchronized (flushed) {
                flushed.notifyAll();
            }
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Lets streams in progress finish their last flush before the app stops (Camel, and with it the
     * gRPC listener and the flush route, stops after this: its lifecycle phase is lower).
     */
    @Override
    public void stop() {
        running = false;
        signal.request();
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        synchronized (flushed) {
            while (!streams.allClosed()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                try {
                    flushed.wait(Math.min(left, interval));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
