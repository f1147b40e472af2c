package dev.twinflow.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the audit learned since its last flush, per run and source: records sent (count, highest seq),
 * seqs received, the latest receive time and latencies by bucket; and how far into this node's
 * message log it reaches. Applied to Redis in one call by {@link AuditStore}.
 */
final class AuditDeltas {

    /** One source's changes. */
    static final class Source {
        final String run;
        final String source;
        long sent;
        long sentMax;
        long lastSeen;
        final StringBuilder seqs = new StringBuilder();
        final Map<Integer, Long> latency = new TreeMap<>();

        Source(String run, String source) {
            this.run = run;
            this.source = source;
        }

        boolean received() {
            return !seqs.isEmpty();
        }

        String latencyArg() {
            StringBuilder b = new StringBuilder();
            latency.forEach((bucket, n) -> {
                if (!b.isEmpty()) {
                    b.append(',');
                }
                b.append(bucket).append(':').append(n);
            });
            return b.toString();
        }
    }

    private final Map<String, Source> sources = new LinkedHashMap<>();
    private long logNext = -1;
    private int seqCount;

    private Source source(String run, String source) {
        return sources.computeIfAbsent(run + '\u0000' + source, k -> new Source(run, source));
    }

    void sent(String run, String source, long count, long maxSeq) {
        Source s = source(run, source);
        s.sent += count;
        s.sentMax = Math.max(s.sentMax, maxSeq);
    }

    void received(Tracked record, long latencyMs, long atMillis) {
        if (record.seq() <= 0 || record.seq() > Integer.MAX_VALUE) {
            return;
        }
        Source s = source(record.run(), record.source());
        if (!s.seqs.isEmpty()) {
            s.seqs.append(',');
        }
        s.seqs.append(record.seq());
        s.lastSeen = Math.max(s.lastSeen, atMillis);
        if (latencyMs >= 0) {
            s.latency.merge(Latency.bucket(latencyMs), 1L, Long::sum);
        }
        seqCount++;
    }

    /** Everything up to (not including) log index {@code next} is covered. */
    void reaches(long next) {
        logNext = Math.max(logNext, next);
    }

    void forgetLog() {
        logNext = -1;
    }

    long logNext() {
        return logNext;
    }

    boolean isEmpty() {
        return sources.isEmpty() && logNext < 0;
    }

    int seqCount() {
        return seqCount;
    }

    List<Source> sources() {
        return new ArrayList<>(sources.values());
    }
}
