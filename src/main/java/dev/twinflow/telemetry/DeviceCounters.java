package dev.twinflow.telemetry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.stereotype.Component;

/**
 * Per-device packet counters in the Redis hash {@code device_metrics} (HINCRBY semantics). A whole
 * flush is one Lua call: one round trip, applied all or nothing, and at most once.
 *
 * <p>At most once, because the client may send a call twice: Lettuce re-sends commands that were
 * written but not answered when a connection drops, so a flush Redis applied just before a restart
 * would be applied again after the reconnect. Every flush carries this writer's id and a sequence
 * number; the script applies it only when its number is above the last one applied for the writer
 * (kept in {@code {device_metrics}:flushed:<writer>}, in the hash's cluster slot, for a day).
 */
@Component
public class DeviceCounters {

    private static final DefaultRedisScript<Long> ADD = new DefaultRedisScript<>(
            """
            local last = tonumber(redis.call('GET', KEYS[2]) or '0')
            local seq = tonumber(ARGV[1])
            if seq <= last then
              return 0
            end
            for i = 3, #ARGV, 2 do
              redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
            end
            redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
            return 1
            """,
            Long.class);

    /** Longer than any reconnect could hold a re-sent call. */
    private static final Duration MARKER_TTL = Duration.ofDays(1);

    private final StringRedisTemplate redis;
    private final String hash;
    private final String marker;
    private final AtomicLong sequence = new AtomicLong();

    DeviceCounters(StringRedisTemplate redis, TelemetryProperties properties) {
        this.redis = redis;
        this.hash = properties.hash();
        this.marker = "{" + hash + "}:flushed:" + UUID.randomUUID();
    }

    /** Adds every delta atomically, once. Throws when Redis does not confirm. */
    public void add(Map<String, Long> deltas) {
        apply(sequence.incrementAndGet(), deltas);
    }

    /**
     * Applies flush {@code seq} unless a flush with this number or a later one was applied already.
     *
     * @return whether this call changed the counters
     */
    boolean apply(long seq, Map<String, Long> deltas) {
        List<String> args = new ArrayList<>(2 + deltas.size() * 2);
        args.add(Long.toString(seq));
        args.add(Long.toString(MARKER_TTL.toSeconds()));
        deltas.forEach((device, n) -> {
            args.add(device);
            args.add(Long.toString(n));
        });
        Long applied = redis.execute(ADD, List.of(hash, marker), args.toArray());
        return applied != null && applied == 1L;
    }

    /** Every counter, sorted by device id. */
    public Map<String, Long> all() {
        Map<String, Long> sorted = new TreeMap<>();
        redis.<String, String>opsForHash().entries(hash).forEach((k, v) -> sorted.put(k, Long.parseLong(v)));
        return sorted;
    }

    /** One device's counter, or null when it has none. */
    public Long of(String device) {
        Object v = redis.opsForHash().get(hash, device);
        return v == null ? null : Long.parseLong(v.toString());
    }
}
