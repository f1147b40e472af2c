package dev.twinflow.readings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;

/**
 * One reading of a {@code machine_data} record ({@code {device_id, data_id, value, value_text, ts}}),
 * the type every consumer of the topic shares. {@code value} is null for a text reading, whose text is
 * {@code valueText}; {@code ts} is the reading's own time in ms (stamped at MQTT ingest).
 */
public record MachineReading(String deviceId, String dataId, Double value, String valueText, long ts) {

    /** The field names of a reading on the topic: the contract between ingest, export and the sinks. */
    public static final String DEVICE_ID = "device_id";

    public static final String DATA_ID = "data_id";
    public static final String VALUE = "value";
    public static final String VALUE_TEXT = "value_text";
    public static final String TS = "ts";

    /**
     * @throws IllegalArgumentException saying what is missing or wrong
     */
    public static MachineReading of(JsonNode r) {
        JsonNode device = r.path(DEVICE_ID);
        JsonNode id = r.path(DATA_ID);
        JsonNode value = r.path(VALUE);
        JsonNode text = r.path(VALUE_TEXT);
        JsonNode ts = r.path(TS);
        if (!device.isTextual() || device.asText().isEmpty()) {
            throw new IllegalArgumentException("reading without a device_id");
        }
        if (!id.isValueNode() || id.isNull() || id.asText().isEmpty()) {
            throw new IllegalArgumentException("reading without a data_id");
        }
        if (!ts.canConvertToLong() || !ts.isIntegralNumber()) {
            throw new IllegalArgumentException("reading without a ts (ms since the epoch)");
        }
        Double v = null;
        String t = null;
        if (value.isNumber()) {
            v = value.doubleValue();
        } else if (!value.isMissingNode() && !value.isNull()) {
            // text in the numeric position: kept as text
            t = value.isTextual() ? value.asText() : value.toString();
        }
        if (t == null && !text.isMissingNode() && !text.isNull()) {
            t = text.isTextual() ? text.asText() : text.toString();
        }
        if (v == null && t == null) {
            throw new IllegalArgumentException("reading without a value or value_text");
        }
        return new MachineReading(device.asText(), id.asText(), v, t, ts.longValue());
    }

    /** The reading as the topic carries it: {@code {device_id, data_id, value, value_text, ts}}. */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put(DEVICE_ID, deviceId);
        o.put(DATA_ID, dataId);
        o.put(VALUE, value);
        if (valueText != null) {
            o.put(VALUE_TEXT, valueText);
        }
        o.put(TS, ts);
        return o;
    }

    /** The value as the seed's {@code payload} text: the number as sent, or the text. */
    public String payload() {
        if (value == null) {
            return valueText;
        }
        double d = value;
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
