package dev.twinflow.pipeline;

import dev.twinflow.receive.MessageStore;
import dev.twinflow.settings.TwinflowProperties;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Seed 001's 数据完整性 check, continuous and cluster-wide, its counting side: records sent
 * (acknowledged by Kafka) and received (durably processed) per run and source are gathered in memory
 * and written to Redis ({@link AuditStore}) in one call every {@code twinflow.audit.flush-interval},
 * off the receiving path (Redis being slow or down never stalls it). {@link AuditReport} answers from
 * Redis: missing seq ranges, duplicates, last seen and end-to-end latency for the whole cluster.
 *
 * <p>Nothing received is lost or counted twice across a crash: each flush records how far into this
 * node's message log it reaches ({@code {audit}:log:<log id>}, see {@link AuditLogId}), and at start
 * the records stored after that point are applied first ({@link MessageLogReplay}). A kill -9 loses
 * at most one flush interval of the sending side, which only lowers {@code sent}: gaps are measured
 * up to the highest seq sent or received, so nothing that arrived is hidden.
 */
@Component
public class DeliveryAudit {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAudit.class);

    private final AuditStore store;
    private final MessageStore messages;
    private final AuditLogId logIds;
    private final ScheduledExecutorService flusher;
    private volatile String logId;
    // the log's size at start: what lies before it and after the last flush is applied first
    private final long storedAtStart;
    private boolean recovered;
    private AuditDeltas pending = new AuditDeltas();
    private AuditStore.Flush retry;
    private boolean failing;

    DeliveryAudit(AuditStore store, MessageStore messages, TwinflowProperties twinflow, AuditProperties properties) {
        this.store = store;
        this.messages = messages;
        this.logIds = new AuditLogId(twinflow.dataDir().resolve("audit-log-id"));
        this.logId = logIds.readOrCreate();
        this.storedAtStart = messages.size();
        // a cleared log starts its indexes again at 0: it gets a new id before it is truncated
        messages.beforeClear(this::newLogId);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "delivery-audit-flush");
            t.setDaemon(true);
            return t;
        });
        long every = properties.flushInterval().toMillis();
        flusher.scheduleWithFixedDelay(this::flushQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    /** {@code count} records of one source that Kafka acknowledged, the highest seq among them. */
    public void sent(String run, String source, long count, long maxSeq) {
        synchronized (this) {
            pending.sent(run, source, count, maxSeq);
        }
    }

    /** One received record, with its end-to-end latency (-1 when unknown). */
    public record Received(Tracked record, long latencyMs) {}

    /**
     * Records the receiver stored at {@code atMillis}; {@code logNext} is the message log's index after
     * them (-1 when they were not stored).
     */
    public void received(List<Received> records, long atMillis, long logNext) {
        synchronized (this) {
            for (Received r : records) {
                pending.received(r.record(), r.latencyMs(), atMillis);
            }
            if (logNext >= 0) {
                pending.reaches(logNext);
            }
        }
    }

    /** Writes what was gathered to Redis; keeps it (and retries it unchanged) when Redis fails. */
    synchronized void flush() {
        if (!recovered) {
            MessageLogReplay.apply(store, messages, logId, storedAtStart);
            recovered = true;
        }
        if (retry != null) {
            store.apply(retry, logId);
            retry = null;
        }
        if (pending.isEmpty()) {
            return;
        }
        AuditStore.Flush flush = store.prepare(pending);
        pending = new AuditDeltas();
        retry = flush;
        store.apply(flush, logId);
        retry = null;
    }

    /** {@link #flush()}, a failure logged once until Redis confirms again. */
    void flushQuietly() {
        try {
            flush();
            if (failing) {
                LOG.info("delivery audit: Redis confirms again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("delivery audit: cannot write to Redis, keeping the updates to retry: {}", e.toString());
                failing = true;
            }
        }
    }

    private synchronized void newLogId() {
        logId = logIds.renew();
        // what is gathered is applied, but its log positions belong to the old log
        pending.forgetLog();
        if (retry != null) {
            retry.deltas().forgetLog();
        }
    }

    /** Graceful shutdown: what was gathered goes to Redis. */
    @PreDestroy
    void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushQuietly();
    }
}
