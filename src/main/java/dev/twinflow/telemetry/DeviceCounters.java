package dev.twinflow.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.stereotype.Component;

/**
 * Per-device packet counters in the Redis hash {@code device_metrics} (HINCRBY semantics). A whole
 * flush is one Lua call: one round trip, applied all or nothing.
 */
@Component
public class DeviceCounters {

    private static final DefaultRedisScript<Long> ADD = new DefaultRedisScript<>(
            """
            for i = 1, #ARGV, 2 do
              redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
            end
            return #ARGV / 2
            """,
            Long.class);

    private final StringRedisTemplate redis;
    private final String hash;

    DeviceCounters(StringRedisTemplate redis, TelemetryProperties properties) {
        this.redis = redis;
        this.hash = properties.hash();
    }

    /** Adds every delta atomically. Throws when Redis does not confirm. */
    public void add(Map<String, Long> deltas) {
        List<String> args = new ArrayList<>(deltas.size() * 2);
        deltas.forEach((device, n) -> {
            args.add(device);
            args.add(Long.toString(n));
        });
        redis.execute(ADD, List.of(hash), args.toArray());
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
