package dev.twinflow.machine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.twinflow.readings.MachineReading;
import dev.twinflow.system.Json;
import java.io.IOException;

/**
 * The ingest's second path, for what {@link SeedBytes} leaves (escapes, non-ASCII ids, other fields, another
 * order): a payload of the seed's plain shape ({@code {"values":[{"id":"X","values":[12.5,
 * ...]}, ...]}}, string ids, a number or a string first) streamed straight into the readings array,
 * token by token, with no JSON tree in between (the tree was a third of the ingest thread's time).
 * Anything else (duplicate keys, numeric ids, an object as value, bad JSON, ...) returns {@code null}
 * and goes the tree's way in {@link MachineReadings}, which has the last word on odd payloads and
 * every refusal's reason; {@code MachineReadingsTest} checks both give the same bytes.
 */
final class SeedPayload {

    private static final JsonFactory JSON = Json.MAPPER.getFactory();

    private SeedPayload() {}

    /** The readings, or {@code null} when the payload is not of the plain shape. */
    static byte[] readings(String device, byte[] payload, long ts) {
        if (payload == null || payload.length == 0) {
            return null;
        }
        ByteArrayBuilder out = new ByteArrayBuilder(payload.length + 256);
        try (JsonParser p = JSON.createParser(payload);
                JsonGenerator g = JSON.createGenerator(out)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            g.writeStartArray();
            int readings = -1;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                boolean values = "values".equals(p.currentName());
                t = p.nextToken();
                if (!values) {
                    p.skipChildren();
                } else if (readings >= 0 || t != JsonToken.START_ARRAY) {
                    return null;
                } else {
                    readings = items(p, g, device, ts);
                    if (readings <= 0) {
                        return null;
                    }
                }
            }
            if (t != JsonToken.END_OBJECT || readings <= 0 || p.nextToken() != null) {
                return null;
            }
            g.writeEndArray();
            g.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException notPlain) {
            return null;
        }
    }

    /** Writes one reading per item; the count, or -1 for an item of another shape. */
    private static int items(JsonParser p, JsonGenerator g, String device, long ts) throws IOException {
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            String id = null;
            JsonToken first = null;
            Number number = null;
            String text = null;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                t = p.nextToken();
                if ("id".equals(field)) {
                    if (id != null || t != JsonToken.VALUE_STRING) {
                        return -1;
                    }
                    id = p.getText();
                } else if ("values".equals(field)) {
                    if (first != null || t != JsonToken.START_ARRAY) {
                        return -1;
                    }
                    first = p.nextToken();
                    if (first == JsonToken.VALUE_NUMBER_INT) {
                        JsonParser.NumberType type = p.getNumberType();
                        if (type == JsonParser.NumberType.BIG_INTEGER) {
                            return -1;
                        }
                        number = type == JsonParser.NumberType.INT
                                ? (Number) p.getIntValue()
                                : (Number) p.getLongValue();
                    } else if (first == JsonToken.VALUE_NUMBER_FLOAT) {
                        number = p.getDoubleValue();
                    } else if (first == JsonToken.VALUE_STRING) {
                        text = p.getText();
                    } else {
                        return -1;
                    }
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (t == null) {
                            return -1;
                        }
                        p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || id == null || first == null) {
                return -1;
            }
            g.writeStartObject();
            g.writeStringField(MachineReading.DEVICE_ID, device);
            g.writeStringField(MachineReading.DATA_ID, id);
            g.writeFieldName(MachineReading.VALUE);
            if (number instanceof Integer i) {
                g.writeNumber(i);
            } else if (number instanceof Long l) {
                g.writeNumber(l);
            } else if (number instanceof Double d) {
                g.writeNumber(d);
            } else {
                g.writeNull();
            }
            g.writeFieldName(MachineReading.VALUE_TEXT);
            if (text != null) {
                g.writeString(text);
            } else {
                g.writeNull();
            }
            g.writeNumberField(MachineReading.TS, ts);
            g.writeEndObject();
            n++;
        }
        return t == JsonToken.END_ARRAY ? n : -1;
    }
}
