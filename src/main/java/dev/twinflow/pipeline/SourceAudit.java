package dev.twinflow.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.math.BigDecimal;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one source of one run sent and what of it arrived, over the whole cluster, as read from
 * Redis. Sequence numbers start at 1 and have no holes on the sending side, so a seq that never
 * arrived below the highest one known is a gap.
 */
final class SourceAudit {

    private static final int MAX_RANGES = 50;

    final long sent;
    final long sentMax;
    final long received;
    final long receivedMax;
    final long duplicates;
    final long lastSeen;
    final TreeMap<Integer, Long> latency = new TreeMap<>();
    private final BitSet seen;

    /** From the source's hash fields ({@link AuditStore}) and its bitmap of received seqs (may be null). */
    SourceAudit(Map<String, String> fields, BitSet seen) {
        this.sent = number(fields, "sent");
        this.sentMax = number(fields, "sent_max");
        this.received = number(fields, "received");
        this.receivedMax = number(fields, "received_max");
        this.duplicates = number(fields, "duplicates");
        this.lastSeen = number(fields, "last_seen");
        this.seen = seen;
        fields.forEach((k, v) -> {
            if (k.startsWith("lat:")) {
                latency.put(Integer.parseInt(k.substring(4)), Long.parseLong(v));
            }
        });
    }

    private static long number(Map<String, String> fields, String name) {
        String v = fields.get(name);
        return v == null ? 0 : Long.parseLong(v);
    }

    long missing() {
        return Math.max(sentMax, receivedMax) - received;
    }

    /** Redis bitmaps number bits from the most significant bit of the first byte. */
    static BitSet bits(byte[] bitmap) {
        BitSet set = new BitSet(bitmap.length * 8);
        for (int i = 0; i < bitmap.length; i++) {
            int b = bitmap[i] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                if ((b & (0x80 >> bit)) != 0) {
                    set.set(i * 8 + bit);
                }
            }
        }
        return set;
    }

    ObjectNode toJson(String source) {
        long expected = Math.max(sentMax, receivedMax);
        ObjectNode node = Json.MAPPER
                .createObjectNode()
                .put("source", source)
                .put("sent", sent)
                .put("received", received)
                .put("missing", expected - received)
                .put("duplicates", duplicates);
        ArrayNode ranges = node.putArray("missing_ranges");
        BitSet bits = seen == null ? new BitSet() : seen;
        if (expected > received) {
            int from = bits.nextClearBit(1);
            while (from <= expected && ranges.size() < MAX_RANGES) {
                int next = bits.nextSetBit(from);
                int to = (int) Math.min(next < 0 ? Integer.MAX_VALUE : next - 1L, expected);
                ranges.addArray().add(from).add(to);
                from = bits.nextClearBit(to + 1);
            }
        }
        if (lastSeen > 0) {
            node.put("last_seen", BigDecimal.valueOf(lastSeen, 3));
        } else {
            node.putNull("last_seen");
        }
        if (!latency.isEmpty()) {
            node.put("latency_ms_p50", Latency.percentile(latency, 50))
                    .put("latency_ms_p99", Latency.percentile(latency, 99));
        } else {
            node.putNull("latency_ms_p50").putNull("latency_ms_p99");
        }
        return node;
    }
}
