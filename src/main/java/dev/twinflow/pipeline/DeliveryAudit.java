package dev.twinflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.receive.MessageStore;
import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Seed 001's 数据完整性 check, continuous and cluster-wide: for every run and source, records sent
 * (acknowledged by Kafka), received (durably processed), missing seq ranges, duplicates, last seen
 * and end-to-end latency. The state lives in Redis ({@link AuditStore}), so every replica answers
 * for the whole cluster; updates are gathered in memory and written in one call every {@code
 * twinflow.audit.flush-interval}, off the receiving path (Redis being slow or down never stalls it).
 *
 * <p>Nothing received is lost or counted twice across a crash: each flush records how far into this
 * node's message log it reaches ({@code {audit}:log:<log id>}, the id kept in {@code
 * <data-dir>/audit-log-id}), and at start the records stored after that point are applied first. A
 * kill -9 loses at most one flush interval of the sending side, which only lowers {@code sent}: gaps
 * are measured up to the highest seq sent or received, so nothing that arrived is hidden.
 */
@Component
public class DeliveryAudit {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAudit.class);
    private static final byte[] RUN_FIELD = "\"run\":\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final AuditStore store;
    private final MessageStore messages;
    private final Path logIdFile;
    private final ScheduledExecutorService flusher;
    private volatile String logId;
    // the log's size at start: what lies before it and after the last flush is applied first
    private final long storedAtStart;
    private boolean recovered;
    private AuditDeltas pending = new AuditDeltas();
    private AuditStore.Flush retry;
    private volatile long lastMissing;
    private boolean failing;

    DeliveryAudit(AuditStore store, MessageStore messages, TwinflowProperties twinflow, AuditProperties properties) {
        this.store = store;
        this.messages = messages;
        this.logIdFile = twinflow.dataDir().resolve("audit-log-id");
        this.logId = readOrCreateLogId();
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
            recover();
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

    // what was stored before this start and not yet applied (a crash between store and flush)
    private void recover() {
        long from = store.logNext(logId);
        if (from > storedAtStart) {
            from = 0; // the log was cleared while its id stayed (a crash in between)
        }
        AuditDeltas replay = new AuditDeltas();
        long[] n = {0};
        messages.forEach(from, storedAtStart, line -> {
            // most stored messages are plain POST /receive bodies: skip them without parsing
            if (indexOf(line, RUN_FIELD) >= 0) {
                JsonNode record = parse(line);
                Tracked t = record == null ? null : Tracked.of(record);
                if (t != null) {
                    JsonNode at = record.get("received_at");
                    replay.received(
                            t,
                            -1,
                            at == null ? 0 : at.decimalValue().movePointRight(3).longValue());
                    n[0]++;
                }
            }
        });
        replay.reaches(storedAtStart);
        store.apply(store.prepare(replay), logId);
        if (n[0] > 0) {
            LOG.info("delivery audit: {} stored records from before this start applied", n[0]);
        }
    }

    private void flushQuietly() {
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

    private static JsonNode parse(byte[] line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            LOG.warn("unreadable stored message skipped by the audit: {}", e.getMessage());
            return null;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private Map<String, Map<String, SourceAudit>> read(String run) {
        // this node's answer includes what it has just gathered; other nodes' lags by a flush interval
        flushQuietly();
        try {
            return store.read(run, true);
        } catch (RuntimeException e) {
            throw new ApiException(503, "audit_unavailable", "the audit lives in Redis, which does not answer: " + e);
        }
    }

    /** Records missing across all runs (sent, or skipped in a source's sequence, and not received). */
    public long missingTotal() {
        try {
            lastMissing = store.read(null, false).values().stream()
                    .flatMap(s -> s.values().stream())
                    .mapToLong(SourceAudit::missing)
                    .sum();
        } catch (RuntimeException e) {
            // Redis away: the last known figure
        }
        return lastMissing;
    }

    /** Totals of one run over the cluster: sent, received, missing, duplicates; empty if Redis is away. */
    public Map<String, Long> totals(String run) {
        flushQuietly();
        try {
            return totals(store.read(run, false).getOrDefault(run, Map.of()));
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private static Map<String, Long> totals(Map<String, SourceAudit> sources) {
        long sent = 0, received = 0, missing = 0, duplicates = 0;
        for (SourceAudit a : sources.values()) {
            sent += a.sent;
            received += a.received;
            missing += a.missing();
            duplicates += a.duplicates;
        }
        return Map.of("sent", sent, "received", received, "missing", missing, "duplicates", duplicates);
    }

    /** {@code GET /audit}: every run (or one), with totals and per-source detail, for the whole cluster. */
    public byte[] report(String run) {
        boolean one = run != null && !run.isBlank();
        Map<String, Map<String, SourceAudit>> runs = read(one ? run : null);
        if (one && !runs.containsKey(run)) {
            throw new ApiException(404, "unknown_run", "no audit for run '" + run + "'; GET /audit lists the runs");
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("runs");
        runs.forEach((name, sources) -> {
            ObjectNode node = list.addObject().put("run", name);
            Map<String, Long> totals = totals(sources);
            totals.forEach(node::put);
            node.put("complete", totals.get("missing") == 0);
            ArrayNode detail = node.putArray("sources");
            sources.forEach((source, audit) -> detail.add(audit.toJson(source)));
        });
        return Json.bytes(root);
    }

    private String readOrCreateLogId() {
        try {
            if (Files.exists(logIdFile)) {
                return Files.readString(logIdFile).trim();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + logIdFile, e);
        }
        return writeNewLogId();
    }

    private synchronized void newLogId() {
        logId = writeNewLogId();
        // what is gathered is applied, but its log positions belong to the old log
        pending.forgetLog();
        if (retry != null) {
            retry.deltas().forgetLog();
        }
    }

    private String writeNewLogId() {
        String id = UUID.randomUUID().toString();
        try {
            Files.createDirectories(logIdFile.getParent());
            Path tmp = logIdFile.resolveSibling(logIdFile.getFileName() + ".tmp");
            Files.writeString(tmp, id);
            Files.move(tmp, logIdFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + logIdFile, e);
        }
        return id;
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
