package dev.twinflow.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import dev.twinflow.system.KafkaBatches;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Latest values of machine data in Redis, written from {@code machine_data} batches in one pipelined
 * round trip: {@code latest:{device_id}} (hash data_id → value), {@code latest} (data_id → value of
 * whichever device sent it last, the seed's {@code latest_data_store}) and {@code machine_readings}
 * (device_id → readings counted). Values are stored as JSON, so numbers stay numbers.
 *
 * <p>Each record is counted once, though Kafka may deliver it again (a crash before the commit, a
 * commit refused in a rebalance, another replica taking the partition over): {@code
 * machine_readings:offsets} keeps, per partition, the last offset counted, and a Lua call adds the
 * counts only if those offsets are still what this consumer read them as (else it reads them again
 * and leaves out what another consumer has counted).
 */
@Component("machineLatest")
public class MachineLatest {

    static final String GLOBAL = "latest";
    static final String COUNTS = "machine_readings";
    static final String OFFSETS = "machine_readings:offsets";
    static final int MAX_DEVICES = 1000;

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

    private static final int ATTEMPTS = 5;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MachineLatest.class);

    private final StringRedisTemplate redis;
    /** Per partition ({@code topic-partition}): the last offset counted as stored, '' for none. */
    private final Map<String, String> counted = new ConcurrentHashMap<>();

    MachineLatest(StringRedisTemplate redis) {
        this.redis = redis;
    }

    static String key(String device) {
        return "latest:" + device;
    }

    public void store(List<Exchange> batch, Exchange exchange) {
        KafkaBatches.remember(batch, exchange);
        for (int attempt = 1; ; attempt++) {
            if (storeOnce(batch)) {
                return;
            }
            if (attempt == ATTEMPTS) {
                // the batch fails and is read again from the committed offsets
                throw new IllegalStateException("machine_readings: the partitions' counted offsets kept moving under "
                        + ATTEMPTS + " attempts (another consumer on the same partitions)");
            }
        }
    }

    /** False when another consumer had counted some of the batch: then nothing was counted. */
    private boolean storeOnce(List<Exchange> batch) {
        loadCounted(batch);
        Map<String, Long> newest = new LinkedHashMap<>();
        List<byte[]> fresh = new ArrayList<>(batch.size());
        for (Exchange record : batch) {
            String partition = partition(record);
            Long offset = record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
            if (partition == null || offset == null) {
                fresh.add(record.getMessage().getBody(byte[].class));
            } else if (offset > last(partition)) {
                fresh.add(record.getMessage().getBody(byte[].class));
                newest.merge(partition, offset, Math::max);
            }
        }
        if (fresh.isEmpty()) {
            return true;
        }
        LatestBatch latest = LatestBatch.of(fresh);
        List<byte[]> args = new ArrayList<>();
        args.add(utf8(COUNTS));
        args.add(utf8(OFFSETS));
        args.add(utf8(Integer.toString(newest.size())));
        newest.forEach((partition, offset) -> {
            args.add(utf8(partition));
            args.add(utf8(counted.get(partition)));
            args.add(utf8(Long.toString(offset)));
        });
        latest.counts().forEach((device, n) -> {
            args.add(utf8(device));
            args.add(utf8(Long.toString(n)));
        });
        List<Object> results = redis.executePipelined((RedisCallback<Object>) connection -> {
            write(connection, latest.perDevice(), latest.global());
            connection.scriptingCommands().eval(COUNT_ONCE, ReturnType.INTEGER, 2, args.toArray(byte[][]::new));
            return null;
        });
        if (Long.valueOf(1).equals(results.get(results.size() - 1))) {
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
    private void loadCounted(List<Exchange> batch) {
        List<Object> unknown = batch.stream()
                .map(MachineLatest::partition)
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

    private static void write(
            RedisConnection connection, Map<String, Map<String, byte[]>> perDevice, Map<String, byte[]> global) {
        perDevice.forEach((device, values) -> connection.hashCommands().hMSet(utf8(key(device)), fields(values)));
        if (!global.isEmpty()) {
            connection.hashCommands().hMSet(utf8(GLOBAL), fields(global));
        }
    }

    /** {@code POST /get_data/} {id[, device_id]}: the seed's answer, {@code not_found} with value null. */
    public byte[] getData(String body) {
        ObjectNode request = Json.parseObject(body);
        JsonNode id = request.path("id");
        if (!id.isValueNode() || id.isNull()) {
            throw ApiException.unprocessable("invalid_id", "'id' must be given (a string or a number)");
        }
        JsonNode device = request.path("device_id");
        boolean ofDevice = device.isValueNode() && !device.isNull();
        String stored = (String) redis.opsForHash().get(ofDevice ? key(device.asText()) : GLOBAL, id.asText());
        ObjectNode answer = Json.MAPPER.createObjectNode().put("status", stored == null ? "not_found" : "ok");
        answer.set("id", id);
        if (ofDevice) {
            answer.set("device_id", device);
        }
        try {
            answer.set("value", stored == null ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(stored));
        } catch (IOException e) {
            answer.put("value", stored);
        }
        return Json.bytes(answer);
    }

    /**
     * {@code GET /machine_latest}: every device's latest values and readings counted, by device id, read
     * in one pipelined round trip (at most {@code MAX_DEVICES} devices).
     */
    public byte[] latestAll() {
        Map<Object, Object> counts = new java.util.TreeMap<>(redis.opsForHash().entries(COUNTS));
        List<String> devices =
                counts.keySet().stream().map(String::valueOf).limit(MAX_DEVICES).toList();
        List<Object> values = redis.executePipelined((RedisCallback<Object>) connection -> {
            devices.forEach(d -> connection.hashCommands().hGetAll(utf8(key(d))));
            return null;
        });
        ObjectNode answer = Json.MAPPER.createObjectNode().put("count", counts.size());
        var list = answer.putArray("devices");
        for (int i = 0; i < devices.size(); i++) {
            ObjectNode device = list.addObject()
                    .put("device_id", devices.get(i))
                    .put("readings", Long.parseLong(String.valueOf(counts.get(devices.get(i)))));
            ObjectNode latest = device.putObject("values");
            new java.util.TreeMap<>((Map<?, ?>) values.get(i)).forEach((id, value) -> {
                try {
                    latest.set(String.valueOf(id), Json.MAPPER.readTree(String.valueOf(value)));
                } catch (IOException e) {
                    latest.put(String.valueOf(id), String.valueOf(value));
                }
            });
        }
        return Json.bytes(answer);
    }

    private static Map<byte[], byte[]> fields(Map<String, byte[]> values) {
        Map<byte[], byte[]> fields = new LinkedHashMap<>(values.size() * 2);
        values.forEach((field, value) -> fields.put(utf8(field), value));
        return fields;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
