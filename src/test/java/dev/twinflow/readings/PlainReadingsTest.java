package dev.twinflow.readings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.system.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainReadingsTest {

    /** A record as the ingest writes it: Jackson's generator, the fields in the contract's order. */
    private static byte[] record(Random r, int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartArray();
            String device = "STRESS_TEST_" + r.nextInt(100_000) + (r.nextBoolean() ? "" : "/ {x}");
            for (int i = 0; i < n; i++) {
                g.writeStartObject();
                g.writeStringField(MachineReading.DEVICE_ID, device);
                g.writeStringField(MachineReading.DATA_ID, "ID_" + r.nextInt(50) + (r.nextInt(5) == 0 ? ",:[]" : ""));
                g.writeFieldName(MachineReading.VALUE);
                String text = null;
                switch (r.nextInt(6)) {
                    case 0 -> g.writeNumber(r.nextInt());
                    case 1 -> g.writeNumber(r.nextLong());
                    case 2 -> g.writeNumber(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
                    case 3 -> g.writeNumber(-r.nextGaussian());
                    default -> {
                        g.writeNull();
                        text = r.nextBoolean() ? "RUNNING" : "";
                    }
                }
                g.writeFieldName(MachineReading.VALUE_TEXT);
                if (text == null) {
                    g.writeNull();
                } else {
                    g.writeString(text);
                }
                g.writeNumberField(MachineReading.TS, 1_700_000_000_000L + r.nextInt());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        return out.toByteArray();
    }

    private static List<MachineReading> scanned(byte[] json) {
        List<MachineReading> out = new ArrayList<>();
        PlainReadings r = new PlainReadings(json);
        while (r.next()) {
            out.add(new MachineReading(r.device(), r.dataId(), r.valueIsNull() ? null : r.value(), r.text(), r.ts()));
        }
        return r.plain() ? out : null;
    }

    private static List<MachineReading> byTree(byte[] json) throws IOException {
        List<MachineReading> out = new ArrayList<>();
        for (JsonNode item : Json.MAPPER.readTree(json)) {
            out.add(MachineReading.of(item));
        }
        return out;
    }

    @Test
    void readsEveryRecordOfTheIngestsLayoutAsJacksonDoes() throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] record = record(random, 1 + random.nextInt(12));
            assertThat(scanned(record))
                    .as(new String(record, StandardCharsets.UTF_8))
                    .isNotNull()
                    .isEqualTo(byTree(record));
        }
    }

    @Test
    void keepsEachValueAsItsJsonText() {
        byte[] record = ("[{\"device_id\":\"m1\",\"data_id\":\"T\",\"value\":6.02E23,\"value_text\":null,\"ts\":1},"
                        + "{\"device_id\":\"m1\",\"data_id\":\"S\",\"value\":null,\"value_text\":\"RUN\",\"ts\":2},"
                        + "{\"device_id\":\"m1\",\"data_id\":\"Z\",\"value\":-0,\"ts\":3}]")
                .getBytes(StandardCharsets.UTF_8);
        PlainReadings r = new PlainReadings(record);
        assertThat(r.next()).isTrue();
        assertThat(new String(r.valueJson(), StandardCharsets.UTF_8)).isEqualTo("6.02E23");
        assertThat(r.textJson()).isNull();
        assertThat(r.next()).isTrue();
        assertThat(r.valueIsNull()).isTrue();
        assertThat(new String(r.textJson(), StandardCharsets.UTF_8)).isEqualTo("\"RUN\"");
        assertThat(r.text()).isEqualTo("RUN");
        assertThat(r.next()).isTrue();
        // Jackson reads -0 as the integer 0
        assertThat(Double.doubleToRawLongBits(r.value())).isEqualTo(Double.doubleToRawLongBits(0.0));
        assertThat(r.ts()).isEqualTo(3);
        assertThat(r.next()).isFalse();
        assertThat(r.plain()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "[]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":1,\"ts\":1}] ",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":1,\"ts\":1}",
                "[ {\"device_id\":\"m\",\"data_id\":\"T\",\"value\":1,\"ts\":1}]",
                "[{\"data_id\":\"T\",\"device_id\":\"m\",\"value\":1,\"ts\":1}]",
                "[{\"device_id\":\"\",\"data_id\":\"T\",\"value\":1,\"ts\":1}]",
                "[{\"device_id\":\"m\",\"data_id\":7,\"value\":1,\"ts\":1}]",
                "[{\"device_id\":\"m\\\"\",\"data_id\":\"T\",\"value\":1,\"ts\":1}]",
                "[{\"device_id\":\"设备\",\"data_id\":\"T\",\"value\":1,\"ts\":1}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":01,\"ts\":1}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":1.,\"ts\":1}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":.5,\"ts\":1}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":+1,\"ts\":1}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":1e,\"ts\":1}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":NaN,\"ts\":1}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":\"7\",\"ts\":1}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":null,\"value_text\":null,\"ts\":1}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":null,\"ts\":1}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":1,\"value_text\":2,\"ts\":1}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":1,\"ts\":1.5}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":1,\"ts\":1234567890123456789}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":1}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":1,\"ts\":1,\"x\":2}]",
                "[{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":1,\"ts\":1},]",
                "{\"device_id\":\"m\",\"data_id\":\"T\",\"value\":1,\"ts\":1}"
            })
    void leavesEverythingElseToJackson(String json) {
        PlainReadings r = new PlainReadings(json.getBytes(StandardCharsets.UTF_8));
        while (r.next()) {
            // the readings before the first odd byte come out; the caller drops them on plain() == false
        }
        assertThat(r.plain()).as(json).isFalse();
        assertThat(r.next()).isFalse();
    }
}
