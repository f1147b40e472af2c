package dev.twinflow.readings;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.twinflow.system.Json;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a {@code machine_data} record (a JSON array of readings): the ingest's own layout byte by byte
 * ({@link PlainReadings}), else in one streaming pass: the plain shape
 * (string ids, an integral ts, a number, string or null value) without building a tree, which was most of a
 * sink's own CPU. Anything else about an item (a numeric data id, a nested value, a missing field) is
 * decided by {@link MachineReading#of} on that item's tree, so the rules and their reasons stay in one place.
 */
public final class ReadingArray {

    /** An array item that is not a reading: its JSON and why. */
    public record Invalid(byte[] json, String reason) {}

    /** One item of the array as a tree: the array's own end is not "trailing" to it. */
    private static final ObjectReader ITEM =
            Json.MAPPER.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ReadingArray() {}

    /**
     * Adds the array's readings to {@code readings} and its other items to {@code invalid}; false (and
     * nothing added) when {@code json} is not one whole JSON array.
     */
    public static boolean read(byte[] json, List<MachineReading> readings, List<Invalid> invalid) {
        if (json == null) {
            return false;
        }
        int readingsBefore = readings.size();
        int invalidBefore = invalid.size();
        PlainReadings plain = new PlainReadings(json);
        while (plain.next()) {
            readings.add(new MachineReading(
                    plain.device(),
                    plain.dataId(),
                    plain.valueIsNull() ? null : plain.value(),
                    plain.text(),
                    plain.ts()));
        }
        if (plain.plain()) {
            return true;
        }
        readings.subList(readingsBefore, readings.size()).clear();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return false;
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new IOException("unterminated array");
                }
                if (t == JsonToken.START_OBJECT) {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    MachineReading r = plain(p);
                    if (r != null) {
                        readings.add(r);
                    } else {
                        byte[] item = Arrays.copyOfRange(
                                json, start, (int) p.currentLocation().getByteOffset());
                        decide(Json.MAPPER.readTree(item), readings, invalid);
                    }
                } else {
                    JsonNode item = ITEM.readTree(p); // Java null for a JSON null
                    decide(item == null ? Json.MAPPER.nullNode() : item, readings, invalid);
                }
            }
            if (p.nextToken() != null) {
                throw new IOException("trailing tokens");
            }
            return true;
        } catch (IOException | RuntimeException e) {
            readings.subList(readingsBefore, readings.size()).clear();
            invalid.subList(invalidBefore, invalid.size()).clear();
            return false;
        }
    }

    private static void decide(JsonNode item, List<MachineReading> readings, List<Invalid> invalid) {
        try {
            readings.add(MachineReading.of(item));
        } catch (IllegalArgumentException e) {
            invalid.add(new Invalid(Json.bytes(item), e.getMessage()));
        }
    }

    /**
     * The reading of the object the parser is in, or null when it is not of the plain shape (the parser
     * is then past the object's end all the same).
     */
    private static MachineReading plain(JsonParser p) throws IOException {
        String device = null;
        String dataId = null;
        Double value = null;
        String valueText = null;
        String textValue = null; // text in the numeric position
        boolean hasTs = false;
        long ts = 0;
        boolean plain = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "device_id" -> {
                    device = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    plain &= device != null;
                }
                case "data_id" -> {
                    dataId = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    plain &= dataId != null;
                }
                case "ts" -> {
                    hasTs = v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
                    ts = hasTs ? p.getLongValue() : 0;
                    plain &= hasTs;
                }
                case "value" -> {
                    value = null;
                    textValue = null;
                    if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                        value = p.getDoubleValue();
                    } else if (v == JsonToken.VALUE_STRING) {
                        textValue = p.getText();
                    } else if (v != JsonToken.VALUE_NULL) {
                        plain = false;
                        p.skipChildren();
                    }
                }
                case "value_text" -> {
                    valueText = null;
                    if (v == JsonToken.VALUE_STRING) {
                        valueText = p.getText();
                    } else if (v != JsonToken.VALUE_NULL) {
                        plain = false;
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        String text = textValue != null ? textValue : valueText; // as MachineReading.of decides
        if (!plain
                || device == null
                || device.isEmpty()
                || dataId == null
                || dataId.isEmpty()
                || !hasTs
                || (value == null && text == null)) {
            return null;
        }
        return new MachineReading(device, dataId, value, text, ts);
    }
}
