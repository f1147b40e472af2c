package dev.twinflow.pipeline;

import java.util.Map;

/**
 * End-to-end latency kept as counts per bucket, so every node can add its own and any node can read
 * the cluster's percentiles: bucket {@code b} holds latencies up to {@code 2^((b+1)/4) - 1} ms (about
 * 19% wide).
 */
final class Latency {

    private Latency() {}

    static int bucket(long ms) {
        return (int) Math.floor(4 * (Math.log(ms + 1.0) / Math.log(2)));
    }

    /** The largest latency in bucket {@code b}, rounded. */
    static long upper(int bucket) {
        return Math.round(Math.pow(2, (bucket + 1) / 4.0) - 1);
    }

    /** The percentile {@code p} (0-100) of counts per bucket (sorted by bucket), or -1 if none. */
    static long percentile(Map<Integer, Long> buckets, double p) {
        long total = buckets.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(total * p / 100.0);
        long seen = 0;
        for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
            seen += e.getValue();
            if (seen >= Math.max(rank, 1)) {
                return upper(e.getKey());
            }
        }
        return upper(((java.util.NavigableMap<Integer, Long>) buckets).lastKey());
    }
}
