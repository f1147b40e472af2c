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
 */
@Component("machineLatest")
public class MachineLatest {

    static final String GLOBAL = "latest";
    static final String COUNTS = "machine_readings";
    static final int MAX_DEVICES = 1000;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MachineLatest.class);

    private final StringRedisTemplate redis;

    MachineLatest(StringRedisTemplate redis) {
        this.redis = redis;
    }

    static String key(String device) {
        return "latest:" + device;
    }

    public void store(List<Exchange> batch, Exchange exchange) {
        KafkaBatches.remember(batch, exchange);
        LatestBatch latest = LatestBatch.of(batch.stream()
                .map(record -> record.getMessage().getBody(byte[].class))
                .toList());
        if (latest.counts().isEmpty()) {
            return;
        }
        redis.executePipelined((RedisCallback<Object>) connection -> {
            write(connection, latest.perDevice(), latest.global(), latest.counts());
            return null;
        });
    }

    private static void write(
            RedisConnection connection,
            Map<String, Map<String, byte[]>> perDevice,
            Map<String, byte[]> global,
            Map<String, Long> counts) {
        perDevice.forEach((device, values) -> connection.hashCommands().hMSet(utf8(key(device)), fields(values)));
        connection.hashCommands().hMSet(utf8(GLOBAL), fields(global));
        counts.forEach((device, n) -> connection.hashCommands().hIncrBy(utf8(COUNTS), utf8(device), n));
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
