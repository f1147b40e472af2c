package dev.twinflow.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What the delivery audit answers, for the whole cluster: {@code GET /audit}, a run's totals for
 * {@code /scenarios} and the missing total for the metrics. Reads Redis ({@link AuditStore}); this
 * node's own updates are flushed first, other nodes' lag by at most a flush interval.
 */
@Component("auditReport")
public class AuditReport {

    private final AuditStore store;
    private final DeliveryAudit audit;
    private volatile long lastMissing;

    AuditReport(AuditStore store, DeliveryAudit audit) {
        this.store = store;
        this.audit = audit;
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
            sources.forEach((source, a) -> detail.add(a.toJson(source)));
        });
        return Json.bytes(root);
    }

    /** Totals of one run over the cluster: sent, received, missing, duplicates; empty if Redis is away. */
    public Map<String, Long> totals(String run) {
        audit.flushQuietly();
        try {
            return totals(store.read(run, false).getOrDefault(run, Map.of()));
        } catch (RuntimeException e) {
            return Map.of();
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

    private Map<String, Map<String, SourceAudit>> read(String run) {
        // this node's answer includes what it has just gathered; other nodes' lags by a flush interval
        audit.flushQuietly();
        try {
            return store.read(run, true);
        } catch (RuntimeException e) {
            throw new ApiException(503, "audit_unavailable", "the audit lives in Redis, which does not answer: " + e);
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
}
