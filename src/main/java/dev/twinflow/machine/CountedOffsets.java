package dev.twinflow.machine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * How far {@code machine_readings} has counted each partition of {@code machine_data}, so a record
 * Kafka delivers again is counted once: {@code machine_readings:offsets} (field {@code topic-partition}
 * → last offset counted). A batch leaves out what is at or below those offsets, and its counts are added
 * by a Lua call only if the offsets are still what this consumer last saw; if another consumer has
 * counted further (a rebalance), nothing is added and the offsets are read again.
 */
final class CountedOffsets {

    static final String OFFSETS = "machine_readings:offsets";

    private static final Logger LOG = LoggerFactory.getLogger(CountedOffsets.class);

    /**
     * KEYS: counts, offsets. ARGV: n, then n times (partition, offset it must still have or '' for
     * none, new offset), then pairs (device, readings). 1 = counted, 0 = an offset had moved: nothing
     * changed.
     */
    private static final byte[] COUNT_ONCE = utf8(
            """
            local n = tonumber(ARGV[1])
            for i = 0, n - 1 do
              if (redis.call('HGET', KEYS[2], ARGV[2 + i * 3]) or '') ~= ARGV[3 + i * 3] then
                return 0
              end
            end
            for i = 0, n - 1 do
              redis.call('HSET', KEYS[2], ARGV[2 + i * 3], ARGV[4 + i * 3])
            end
            for j = 2 + n * 3, #ARGV, 2 do
              redis.call('HINCRBY', KEYS[1], ARGV[j], ARGV[j + 1])
            end
            return 1
            """);

    private final StringRedisTemplate redis;
    /** Per partition: the last offset counted as this consumer last saw it stored, '' for none. */
    private final Map<String, String> counted = new ConcurrentHashMap<>();

    CountedOffsets(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * The bodies of the batch's records not counted yet, in order; {@code newest} gets the highest
     * offset of each partition among them. A record at or below an offset already taken from this batch
     * is left out too: Camel's batching consumer keeps what it polled until the batch is due, and a
     * rebalance in between resets the positions to the last commit, so one batch can hold a record
     * twice. A record without a Kafka position is always new.
     */
    List<byte[]> fresh(List<Exchange> batch, Map<String, Long> newest) {
        load(batch);
        List<byte[]> fresh = new ArrayList<>(batch.size());
        for (Exchange record : batch) {
            String partition = partition(record);
            Long offset = record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
            if (partition == null || offset == null) {
                fresh.add(record.getMessage().getBody(byte[].class));
            } else if (offset > Math.max(last(partition), newest.getOrDefault(partition, -1L))) {
                fresh.add(record.getMessage().getBody(byte[].class));
                newest.merge(partition, offset, Math::max);
            }
        }
        return fresh;
    }

    /** Adds the Lua call that counts {@code counts} and moves the partitions to {@code newest}. */
    void count(RedisConnection connection, Map<String, Long> newest, Map<String, Long> counts) {
        List<byte[]> args = new ArrayList<>(5 + newest.size() * 3 + counts.size() * 2);
        args.add(utf8(MachineLatest.COUNTS));
        args.add(utf8(OFFSETS));
        args.add(utf8(Integer.toString(newest.size())));
        newest.forEach((partition, offset) -> {
            args.add(utf8(partition));
            args.add(utf8(counted.get(partition)));
            args.add(utf8(Long.toString(offset)));
        });
        counts.forEach((device, n) -> {
            args.add(utf8(device));
            args.add(utf8(Long.toString(n)));
        });
        connection.scriptingCommands().eval(COUNT_ONCE, ReturnType.INTEGER, 2, args.toArray(byte[][]::new));
    }

    /** The Lua call's answer: true = counted; false = another consumer was further, offsets forgotten. */
    boolean settle(Object result, Map<String, Long> newest) {
        if (Long.valueOf(1).equals(result)) {
            newest.forEach((partition, offset) -> counted.put(partition, Long.toString(offset)));
            return true;
        }
        LOG.info(
                "machine_readings: partitions {} were counted further by another consumer; reading their offsets again",
                newest.keySet());
        newest.keySet().forEach(counted::remove);
        return false;
    }

    /** Reads the counted offsets of the batch's partitions this consumer does not know yet. */
    private void load(List<Exchange> batch) {
        List<Object> unknown = batch.stream()
                .map(CountedOffsets::partition)
                .filter(p -> p != null && !counted.containsKey(p))
                .distinct()
                .map(Object.class::cast)
                .toList();
        if (!unknown.isEmpty()) {
            List<Object> stored = redis.opsForHash().multiGet(OFFSETS, unknown);
            for (int i = 0; i < unknown.size(); i++) {
                counted.put((String) unknown.get(i), stored.get(i) == null ? "" : (String) stored.get(i));
            }
        }
    }

    private long last(String partition) {
        String offset = counted.get(partition);
        return offset == null || offset.isEmpty() ? -1 : Long.parseLong(offset);
    }

    private static String partition(Exchange record) {
        Integer partition = record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
        String topic = record.getMessage().getHeader(KafkaConstants.TOPIC, String.class);
        return partition == null ? null : topic + "-" + partition;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
