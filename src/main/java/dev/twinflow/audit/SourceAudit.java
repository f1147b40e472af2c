package dev.twinflow.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.util.BitSet;
import org.HdrHistogram.Histogram;

/**
 * What one source of one run sent and what of it arrived. Sequence numbers start at 1 and have no
 * holes on the sending side, so a seq that never arrived below the highest one known is a gap.
 */
final class SourceAudit {

    private static final int MAX_RANGES = 50;

    private long sent;
    private long sentMax;
    private long received;
    private long receivedMax;
    private long duplicates;
    private long lastSeen;
    private final BitSet seen = new BitSet();
    private final Histogram latency = new Histogram(3_600_000L, 2);

    synchronized void sent(long count, long maxSeq) {
        sent += count;
        sentMax = Math.max(sentMax, maxSeq);
    }

    /** Restores the sending side from a snapshot. */
    synchronized void restoreSent(long count, long max) {
        sent = Math.max(sent, count);
        sentMax = Math.max(sentMax, max);
    }

    synchronized void received(long seq, long latencyMs, long at) {
        if (seq <= 0 || seq > Integer.MAX_VALUE) {
            return;
        }
        if (seen.get((int) seq)) {
            duplicates++;
        } else {
            seen.set((int) seq);
            received++;
        }
        receivedMax = Math.max(receivedMax, seq);
        lastSeen = Math.max(lastSeen, at);
        if (latencyMs >= 0) {
            latency.recordValue(Math.min(latencyMs, latency.getHighestTrackableValue()));
        }
    }

    synchronized long sentCount() {
        return sent;
    }

    synchronized long sentMax() {
        return sentMax;
    }

    synchronized long missing() {
        long expected = Math.max(sentMax, receivedMax);
        return expected - received;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long receivedCount() {
        return received;
    }

    synchronized ObjectNode toJson(String source) {
        long expected = Math.max(sentMax, receivedMax);
        ObjectNode node = Json.MAPPER
                .createObjectNode()
                .put("source", source)
                .put("sent", sent)
                .put("received", received)
                .put("missing", expected - received)
                .put("duplicates", duplicates);
        ArrayNode ranges = node.putArray("missing_ranges");
        int from = seen.nextClearBit(1);
        while (from <= expected && ranges.size() < MAX_RANGES) {
            int to =
                    Math.min(seen.nextSetBit(from) < 0 ? Integer.MAX_VALUE : seen.nextSetBit(from) - 1, (int) expected);
            ranges.addArray().add(from).add(to);
            from = seen.nextClearBit(to + 1);
        }
        if (lastSeen > 0) {
            node.put("last_seen", java.math.BigDecimal.valueOf(lastSeen, 3));
        } else {
            node.putNull("last_seen");
        }
        if (latency.getTotalCount() > 0) {
            node.put("latency_ms_p50", latency.getValueAtPercentile(50))
                    .put("latency_ms_p99", latency.getValueAtPercentile(99));
        } else {
            node.putNull("latency_ms_p50").putNull("latency_ms_p99");
        }
        return node;
    }
}
