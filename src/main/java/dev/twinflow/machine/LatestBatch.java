package dev.twinflow.machine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.readings.MachineReading;
import dev.twinflow.readings.PlainReadings;
import dev.twinflow.system.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a batch changes: per device its last value of each data id, the same across devices, and
 * the readings counted per device. Keyed by String: byte[] keys hash by identity, and every reading
 * of a batch went to Redis.
 */
record LatestBatch(Map<String, Map<String, byte[]>> perDevice, Map<String, byte[]> global, Map<String, Long> counts) {

    private static final Logger LOG = LoggerFactory.getLogger(LatestBatch.class);
    /** The JSON text of a null: {@link #json} returns this very array, so {@code == NULL} tells a JSON null. */
    private static final byte[] NULL = utf8("null");

    static LatestBatch of(List<byte[]> records) {
        LatestBatch latest = new LatestBatch(new LinkedHashMap<>(), new LinkedHashMap<>(), new HashMap<>());
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
        perDevice.computeIfAbsent(change.device(), d -> new LinkedHashMap<>()).put(change.field(), change.value());
        global.put(change.field(), change.value());
        counts.merge(change.device(), 1L, Long::sum);
    }

    /**
     * One pass over a record of the plain shape the ingest writes (string ids, scalar values), the value
     * kept as its JSON text: byte by byte when it is the ingest's exact layout ({@link PlainReadings}),
     * else with Jackson's streaming parser; false for anything else, which {@link #tree} then decides.
     * The JSON tree of every record, then Jackson's tokenizer, was most of this consumer's CPU.
     */
    static boolean streamed(byte[] record, List<Change> changes) {
        PlainReadings plain = new PlainReadings(record); // the ingest's own layout, byte by byte
        while (plain.next()) {
            changes.add(new Change(
                    plain.device(), plain.dataId(), plain.valueIsNull() ? plain.textJson() : plain.valueJson()));
        }
        if (plain.plain()) {
            return true;
        }
        changes.clear();
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
    static void tree(byte[] record, LatestBatch latest) {
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

    /** One reading's effect: device, data id, the value's JSON text. */
    record Change(String device, String field, byte[] value) {}

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
