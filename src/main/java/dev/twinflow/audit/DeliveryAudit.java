package dev.twinflow.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.receive.MessageStore;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import dev.twinflow.system.TwinflowProperties;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Seed 001's 数据完整性 check, continuous: for every run and source, records sent (acknowledged by
 * Kafka), received (durably processed), missing seq ranges, duplicates, last seen and end-to-end
 * latency.
 *
 * <p>Survives restarts: the receiving side is rebuilt from the message log at start (see {@link
 * #replay}); the sending side is snapshotted to {@code <data-dir>/audit-sent.json} every second and
 * at shutdown. A snapshot up to a second old after a crash only lowers {@code sent}; gaps are
 * measured up to the highest seq sent or received, so nothing that arrived is hidden.
 */
@Component
public class DeliveryAudit {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAudit.class);

    private final ConcurrentMap<String, ConcurrentMap<String, SourceAudit>> runs = new ConcurrentHashMap<>();
    private final Path snapshot;

    DeliveryAudit(TwinflowProperties properties, MessageStore messages) {
        this.snapshot = properties.dataDir().resolve("audit-sent.json");
        restore();
        // before any route starts, so nothing is counted twice
        long replayed = messages.forEach(this::replay);
        if (replayed > 0) {
            LOG.info("delivery audit rebuilt from {} stored messages", replayed);
        }
    }

    private SourceAudit source(String run, String source) {
        return runs.computeIfAbsent(run, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(source, s -> new SourceAudit());
    }

    /** {@code count} records of one source that Kafka acknowledged, the highest seq among them. */
    public void sent(String run, String source, long count, long maxSeq) {
        source(run, source).sent(count, maxSeq);
    }

    /** A record the receiver stored. {@code latencyMs} is -1 when unknown. */
    public void received(Tracked record, long latencyMs, long atMillis) {
        source(record.run(), record.source()).received(record.seq(), latencyMs, atMillis);
    }

    private static final byte[] RUN_FIELD = "\"run\":\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** Rebuilds the receiving side from a stored record, if it carries run, source and seq. */
    void replay(byte[] line) {
        // most stored messages are plain POST /receive bodies: skip them without parsing
        if (indexOf(line, RUN_FIELD) < 0) {
            return;
        }
        try {
            replay(Json.MAPPER.readTree(line));
        } catch (IOException e) {
            LOG.warn("unreadable stored message skipped by the audit: {}", e.getMessage());
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

    /** Rebuilds the receiving side from a stored record, if it carries run, source and seq. */
    public void replay(JsonNode record) {
        Tracked t = Tracked.of(record);
        if (t != null) {
            JsonNode at = record.get("received_at");
            long atMillis = at == null ? 0 : at.decimalValue().movePointRight(3).longValue();
            received(t, -1, atMillis);
        }
    }

    /** Records missing across all runs (sent, or skipped in a source's sequence, and not received). */
    public long missingTotal() {
        return runs.keySet().stream()
                .mapToLong(run -> totals(run).get("missing"))
                .sum();
    }

    /** Totals of one run: sent, received, missing, duplicates. */
    public Map<String, Long> totals(String run) {
        Map<String, SourceAudit> sources = runs.getOrDefault(run, new ConcurrentHashMap<>());
        long sent = 0, received = 0, missing = 0, duplicates = 0;
        for (SourceAudit a : sources.values()) {
            sent += a.sentCount();
            received += a.receivedCount();
            missing += a.missing();
            duplicates += a.duplicates();
        }
        return Map.of("sent", sent, "received", received, "missing", missing, "duplicates", duplicates);
    }

    /** {@code GET /audit}: every run (or one), with totals and per-source detail. */
    public byte[] report(String run) {
        if (run != null && !run.isBlank() && !runs.containsKey(run)) {
            throw new ApiException(404, "unknown_run", "no audit for run '" + run + "'; GET /audit lists the runs");
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("runs");
        new TreeMap<>(runs).forEach((name, sources) -> {
            if (run != null && !run.isBlank() && !run.equals(name)) {
                return;
            }
            ObjectNode node = list.addObject().put("run", name);
            totals(name).forEach(node::put);
            node.put("complete", totals(name).get("missing") == 0);
            ArrayNode detail = node.putArray("sources");
            new TreeMap<>(sources).forEach((source, audit) -> detail.add(audit.toJson(source)));
        });
        return Json.bytes(root);
    }

    @PreDestroy
    @Scheduled(fixedDelay = 1000)
    void saveSent() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        runs.forEach((run, sources) -> {
            ObjectNode r = root.putObject(run);
            sources.forEach((source, a) -> {
                if (a.sentCount() > 0) {
                    r.putArray(source).add(a.sentCount()).add(a.sentMax());
                }
            });
        });
        try {
            Files.createDirectories(snapshot.getParent());
            Path tmp = snapshot.resolveSibling(snapshot.getFileName() + ".tmp");
            Files.write(tmp, Json.bytes(root));
            Files.move(tmp, snapshot, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot save the audit's sent counters to {}: {}", snapshot, e.toString());
        }
    }

    private void restore() {
        if (!Files.exists(snapshot)) {
            return;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(snapshot.toFile());
            root.fields().forEachRemaining(run -> run.getValue().fields().forEachRemaining(s -> source(
                            run.getKey(), s.getKey())
                    .restoreSent(
                            s.getValue().get(0).asLong(), s.getValue().get(1).asLong())));
        } catch (IOException e) {
            LOG.warn("cannot read {}; the audit's sent counters start empty: {}", snapshot, e.toString());
        }
    }
}
