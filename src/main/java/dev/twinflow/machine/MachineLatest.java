package dev.twinflow.machine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.readings.MachineReading;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import dev.twinflow.system.KafkaBatches;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
        Latest latest = Latest.of(batch.stream()
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

    /**
     * What a batch changes: per device its last value of each data id, the same across devices, and
     * the readings counted per device. Keyed by String: byte[] keys hash by identity, and every reading
     * of a batch went to Redis.
     */
    record Latest(Map<String, Map<String, byte[]>> perDevice, Map<String, byte[]> global, Map<String, Long> counts) {

        static Latest of(List<byte[]> records) {
            Latest latest = new Latest(new LinkedHashMap<>(), new LinkedHashMap<>(), new HashMap<>());
            List<Change> changes = new ArrayList<>(16);
            for (byte[] record : records) {
                changes.clear();
                if (streamed(record, changes)) {
                    changes.forEach(latest::apply);
                } else {
                    tree(record, latest);
                }
            }
            return latest;
        }

        private void apply(Change change) {
            perDevice
                    .computeIfAbsent(change.device(), d -> new LinkedHashMap<>())
                    .put(change.field(), change.value());
            global.put(change.field(), change.value());
            counts.merge(change.device(), 1L, Long::sum);
        }

        /**
         * One streaming pass over a record of the plain shape the ingest writes (string ids, scalar
         * values), the value kept as its JSON text; false for anything else, which {@link #tree} then
         * decides. The JSON tree of every record was most of this consumer's CPU.
         */
        static boolean streamed(byte[] record, List<Change> changes) {
            try (JsonParser p = Json.MAPPER.getFactory().createParser(record)) {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    return false;
                }
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                    String device = null;
                    String field = null;
                    byte[] value = null;
                    byte[] text = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        if (v.isStructStart()) {
                            return false;
                        }
                        switch (name) {
                            case MachineReading.DEVICE_ID -> device = v == JsonToken.VALUE_STRING ? p.getText() : null;
                            case MachineReading.DATA_ID -> field = v == JsonToken.VALUE_STRING ? p.getText() : null;
                            case MachineReading.VALUE -> value = json(p, v);
                            case MachineReading.VALUE_TEXT -> text = json(p, v);
                            default -> {}
                        }
                    }
                    byte[] stored = value == NULL ? text : value;
                    if (device == null || field == null || stored == null) {
                        return false;
                    }
                    changes.add(new Change(device, field, stored));
                }
                return t == JsonToken.END_ARRAY && p.nextToken() == null;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        private static final byte[] NULL = utf8("null");

        /** A scalar token as JSON text: numbers as sent, strings quoted and escaped. */
        private static byte[] json(JsonParser p, JsonToken v) throws IOException {
            return switch (v) {
                case VALUE_NULL -> NULL;
                case VALUE_STRING -> {
                    byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(p.getText());
                    byte[] out = new byte[quoted.length + 2];
                    out[0] = '"';
                    System.arraycopy(quoted, 0, out, 1, quoted.length);
                    out[out.length - 1] = '"';
                    yield out;
                }
                default -> utf8(p.getText());
            };
        }

        /** The same on the record's JSON tree: every shape, and the warning for what is not an array. */
        static void tree(byte[] record, Latest latest) {
            JsonNode readings;
            try {
                readings = Json.MAPPER.readTree(record);
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("skipped a machine_data record that is not a JSON array of readings: {}", e.toString());
                return;
            }
            for (JsonNode r : readings) {
                String device = r.path(MachineReading.DEVICE_ID).asText();
                String field = r.path(MachineReading.DATA_ID).asText();
                byte[] value = utf8((r.path(MachineReading.VALUE).isNull()
                                ? r.path(MachineReading.VALUE_TEXT)
                                : r.path(MachineReading.VALUE))
                        .toString());
                latest.apply(new Change(device, field, value));
            }
        }
    }

    /** One reading's effect: device, data id, the value's JSON text. */
    record Change(String device, String field, byte[] value) {}

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
