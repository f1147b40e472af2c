package dev.twinflow.terminals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Closes connections that went quiet: no {@code hello} in time, or a terminal silent past its heartbeat timeout. */
@Component
class HeartbeatSweep implements AutoCloseable {

    /** What becomes of a connection at a sweep. */
    enum Verdict {
        KEEP,
        NO_HELLO,
        SILENT
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HeartbeatSweep.class);

    private final TerminalsProperties properties;
    private final Presence presence;
    private final Handshake handshake;
    private final Clock clock;
    private final ScheduledExecutorService sweeper;

    HeartbeatSweep(TerminalsProperties properties, Presence presence, Handshake handshake, Clock clock) {
        this.properties = properties;
        this.presence = presence;
        this.handshake = handshake;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "terminal-liveness");
            t.setDaemon(true);
            return t;
        });
        long every = period(properties.heartbeatTimeout()).toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /** A quarter of the heartbeat timeout, within 50 ms to 1 s. */
    static Duration period(Duration heartbeatTimeout) {
        return Duration.ofMillis(Math.max(50, Math.min(1000, heartbeatTimeout.toMillis() / 4)));
    }

    /** Unauthenticated connections are timed from their opening, terminals from their last message. */
    static Verdict verdict(
            boolean authenticated,
            Instant openedAt,
            Instant lastSeen,
            Instant now,
            Duration helloTimeout,
            Duration heartbeatTimeout) {
        if (!authenticated) {
            return Duration.between(openedAt, now).compareTo(helloTimeout) > 0 ? Verdict.NO_HELLO : Verdict.KEEP;
        }
        return Duration.between(lastSeen, now).compareTo(heartbeatTimeout) > 0 ? Verdict.SILENT : Verdict.KEEP;
    }

    private void sweep() {
        try {
            Instant now = clock.instant();
            for (Session s : presence.connections()) {
                switch (verdict(
                        s.terminalId() != null,
                        s.openedAt,
                        s.lastSeen(),
                        now,
                        properties.helloTimeout(),
                        properties.heartbeatTimeout())) {
                    case NO_HELLO -> {
                        presence.forget(s.connectionKey);
                        handshake.tooLate(s);
                    }
                    case SILENT -> {
                        // offline now, not when (or if) the close handshake completes
                        presence.forget(s.connectionKey);
                        s.close(
                                Session.HEARTBEAT_MISSED,
                                "no heartbeat for "
                                        + properties.heartbeatTimeout().toSeconds() + " s");
                        presence.closed(s);
                    }
                    case KEEP -> {}
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("terminal liveness check failed", e);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
