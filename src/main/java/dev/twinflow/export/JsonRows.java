package dev.twinflow.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Columns for JSON objects of varying shape (messages, data set records): one nullable column per
 * top-level field seen, typed long, double, boolean or string (whole numbers and decimals together
 * are double; mixed kinds, objects and arrays are their JSON text).
 */
final class JsonRows {

    private final Map<String, Schema.Type> types = new LinkedHashMap<>();
    private final Map<String, String> columns = new LinkedHashMap<>();
    private Schema schema;

    /** First pass: learns the fields of one object. */
    void learn(JsonNode object) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Schema.Type type = typeOf(field.getValue());
            if (type == null) {
                types.putIfAbsent(field.getKey(), Schema.Type.NULL);
                continue;
            }
            types.merge(field.getKey(), type, JsonRows::widen);
        }
    }

    Schema schema(String name) {
        SchemaBuilder.FieldAssembler<Schema> fields =
                SchemaBuilder.record(name).namespace("dev.twinflow.export").fields();
        for (Map.Entry<String, Schema.Type> e : types.entrySet()) {
            String column = column(e.getKey());
            if (columns.containsValue(column)) {
                continue; // two names that differ only in characters Avro does not allow: the first wins
            }
            columns.put(e.getKey(), column);
            fields = switch (e.getValue()) {
                case LONG -> fields.optionalLong(column);
                case DOUBLE -> fields.optionalDouble(column);
                case BOOLEAN -> fields.optionalBoolean(column);
                default -> fields.optionalString(column);
            };
        }
        schema = fields.endRecord();
        return schema;
    }

    /** Second pass: one row of the learnt schema. */
    GenericRecord row(JsonNode object) {
        GenericRecord row = new GenericData.Record(schema);
        columns.forEach((field, column) -> {
            JsonNode v = object.get(field);
            if (v == null || v.isNull()) {
                return;
            }
            Object value =
                    switch (types.get(field)) {
                        case LONG -> v.canConvertToLong() && v.isIntegralNumber() ? v.asLong() : null;
                        case DOUBLE -> v.isNumber() ? v.asDouble() : null;
                        case BOOLEAN -> v.isBoolean() ? v.asBoolean() : null;
                        default -> v.isTextual() ? v.asText() : v.toString();
                    };
            row.put(column, value);
        });
        return row;
    }

    private static Schema.Type typeOf(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return Schema.Type.LONG;
        }
        if (v.isNumber()) {
            return Schema.Type.DOUBLE;
        }
        if (v.isBoolean()) {
            return Schema.Type.BOOLEAN;
        }
        return Schema.Type.STRING;
    }

    private static Schema.Type widen(Schema.Type a, Schema.Type b) {
        if (a == b || b == Schema.Type.NULL) {
            return a;
        }
        if (a == Schema.Type.NULL) {
            return b;
        }
        if ((a == Schema.Type.LONG && b == Schema.Type.DOUBLE) || (a == Schema.Type.DOUBLE && b == Schema.Type.LONG)) {
            return Schema.Type.DOUBLE;
        }
        return Schema.Type.STRING;
    }

    static String column(String field) {
        String c = field.replaceAll("[^A-Za-z0-9_]", "_");
        return c.isEmpty() || Character.isDigit(c.charAt(0)) ? "_" + c : c;
    }
}
