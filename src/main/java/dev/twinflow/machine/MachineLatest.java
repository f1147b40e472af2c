package dev.twinflow.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import dev.twinflow.system.KafkaBatches;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.data.redis.connection.RedisConnection;
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
 * commit refused in a rebalance, another replica taking the partition over): see {@link
 * CountedOffsets}.
 */
@Component("machineLatest")
public class MachineLatest {

    static final String GLOBAL = "latest";
    static final String COUNTS = "machine_readings";
    static final int MAX_DEVICES = 1000;

    private static final int ATTEMPTS = 5;

    private final StringRedisTemplate redis;
    private final CountedOffsets counted;

    MachineLatest(StringRedisTemplate redis) {
        this.redis = redis;
        this.counted = new CountedOffsets(redis);
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
        Map<String, Long> newest = new LinkedHashMap<>();
        List<byte[]> fresh = counted.fresh(batch, newest);
        if (fresh.isEmpty()) {
            return true;
        }
        LatestBatch latest = LatestBatch.of(fresh);
        List<Object> results = redis.executePipelined((RedisCallback<Object>) connection -> {
            write(connection, latest.perDevice(), latest.global());
            counted.count(connection, newest, latest.counts());
            return null;
        });
        return counted.settle(results.get(results.size() - 1), newest);
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
