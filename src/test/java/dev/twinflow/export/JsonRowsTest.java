package dev.twinflow.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.system.Json;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class JsonRowsTest {

    static com.fasterxml.jackson.databind.JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    static Schema.Type typeOf(Schema schema, String column) {
        // every column is a union of null and its type
        return schema.getField(column).schema().getTypes().stream()
                .map(Schema::getType)
                .filter(t -> t != Schema.Type.NULL)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void columnsAreTheUnionOfFieldsTypedByTheirValues() throws Exception {
        JsonRows rows = new JsonRows();
        rows.learn(json("{\"n\":1,\"x\":1,\"ok\":true,\"name\":\"a\",\"mixed\":1,\"nested\":{\"a\":1}}"));
        rows.learn(json("{\"n\":2,\"x\":1.5,\"mixed\":\"one\",\"later\":null,\"bad-name\":3}"));
        Schema schema = rows.schema("messages");

        assertThat(typeOf(schema, "n")).isEqualTo(Schema.Type.LONG);
        assertThat(typeOf(schema, "x")).isEqualTo(Schema.Type.DOUBLE);
        assertThat(typeOf(schema, "ok")).isEqualTo(Schema.Type.BOOLEAN);
        assertThat(typeOf(schema, "mixed")).isEqualTo(Schema.Type.STRING);
        assertThat(typeOf(schema, "nested")).isEqualTo(Schema.Type.STRING);
        assertThat(typeOf(schema, "later")).isEqualTo(Schema.Type.STRING);
        assertThat(typeOf(schema, "bad_name")).isEqualTo(Schema.Type.LONG);

        GenericRecord first = rows.row(json("{\"n\":1,\"x\":1,\"mixed\":1,\"nested\":{\"a\":1}}"));
        assertThat(first.get("n")).isEqualTo(1L);
        assertThat(first.get("x")).isEqualTo(1.0);
        assertThat(first.get("mixed")).isEqualTo("1");
        assertThat(first.get("nested")).isEqualTo("{\"a\":1}");
        assertThat(first.get("ok")).isNull();
        GenericRecord second = rows.row(json("{\"bad-name\":3,\"mixed\":\"one\"}"));
        assertThat(second.get("bad_name")).isEqualTo(3L);
        assertThat(second.get("mixed")).isEqualTo("one");
    }

    @Test
    void columnNamesAreValidAvroNames() {
        assertThat(JsonRows.column("received_at")).isEqualTo("received_at");
        assertThat(JsonRows.column("a.b c")).isEqualTo("a_b_c");
        assertThat(JsonRows.column("1st")).isEqualTo("_1st");
        assertThat(JsonRows.column("")).isEqualTo("_");
    }
}
