package dev.twinflow.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.readings.PlainReadings;
import dev.twinflow.system.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MachineReadingsTest {

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyItemOfTheSeedPayloadBecomesOneReadingOfItsFirstValue() throws Exception {
        byte[] seed = Files.readAllBytes(Path.of("src/test/resources/ingest-machine-data/seed-payload.json"));
        JsonNode readings = Json.MAPPER.readTree(MachineReadings.readings("STRESS_TEST_00000", seed, 1234L));
        assertThat(readings.toString())
                .isEqualTo("[{\"device_id\":\"STRESS_TEST_00000\",\"data_id\":\"X_POS\",\"value\":12.5,"
                        + "\"value_text\":null,\"ts\":1234},"
                        + "{\"device_id\":\"STRESS_TEST_00000\",\"data_id\":\"SPINDLE_SPEED\",\"value\":1200,"
                        + "\"value_text\":null,\"ts\":1234},"
                        + "{\"device_id\":\"STRESS_TEST_00000\",\"data_id\":\"STATE\",\"value\":null,"
                        + "\"value_text\":\"RUNNING\",\"ts\":1234}]");
    }

    @Test
    void numericIdsAndNonScalarValuesAreKeptAsText() throws Exception {
        JsonNode readings = Json.MAPPER.readTree(
                MachineReadings.readings("d", utf8("{\"values\":[{\"id\":7,\"values\":[{\"a\":1}]}]}"), 1L));
        assertThat(readings.get(0).get("data_id").asText()).isEqualTo("7");
        assertThat(readings.get(0).get("value_text").asText()).isEqualTo("{\"a\":1}");
    }

    @Test
    void rejectsWhatIsNotMachineDataWithAReason() {
        assertThatThrownBy(() -> MachineReadings.readings("d", utf8("nope"), 1L))
                .isInstanceOf(BadPayload.class)
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> MachineReadings.readings("d", utf8("{\"value\":[]}"), 1L))
                .hasMessageContaining("expected {\"values\"");
        assertThatThrownBy(() -> MachineReadings.readings("d", utf8("{\"values\":[]}"), 1L))
                .hasMessageContaining("'values' is empty");
        assertThatThrownBy(() -> MachineReadings.readings("d", utf8("{\"values\":[{\"id\":\"a\",\"values\":[]}]}"), 1L))
                .hasMessageContaining("non-empty 'values'");
        assertThatThrownBy(() -> MachineReadings.readings("", utf8("{\"values\":[{\"id\":\"a\",\"values\":[1]}]}"), 1L))
                .hasMessageContaining("device id");
        assertThatThrownBy(() -> MachineReadings.readings("d", new byte[0], 1L)).isInstanceOf(BadPayload.class);
    }

    @Test
    void theSeedPayloadTakesTheStreamingPath() throws Exception {
        byte[] seed = Files.readAllBytes(Path.of("src/test/resources/ingest-machine-data/seed-payload.json"));
        assertThat(SeedPayload.readings("D", seed, 5L))
                .isNotNull()
                .isEqualTo(Json.bytes(MachineReadings.tree("D", seed, 5L)));
        // and every consumer of machine_data reads what it writes byte by byte, without Jackson
        PlainReadings record = new PlainReadings(SeedPayload.readings("D", seed, 5L));
        int readings = 0;
        while (record.next()) {
            readings++;
        }
        assertThat(record.plain()).isTrue();
        assertThat(readings).isEqualTo(3);
    }

    @Test
    void streamingAndTreeGiveTheSameBytesOrTheSameRefusal() {
        Random random = new Random(42);
        int streamed = 0;
        int byByte = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] payload = utf8(randomPayload(random));
            byte[] expected;
            try {
                expected = Json.bytes(MachineReadings.tree("dev-1", payload, 1700000000000L + i));
            } catch (BadPayload refused) {
                assertThatThrownBy(() -> MachineReadings.readings("dev-1", payload, 1L))
                        .as(new String(payload, StandardCharsets.UTF_8))
                        .isInstanceOf(BadPayload.class)
                        .hasMessage(refused.getMessage());
                continue;
            }
            streamed += compared(SeedPayload.readings("dev-1", payload, 1700000000000L + i), payload, expected);
            byByte += compared(SeedBytes.readings("dev-1", payload, 1700000000000L + i), payload, expected);
            assertThat(MachineReadings.readings("dev-1", payload, 1700000000000L + i))
                    .isEqualTo(expected);
        }
        // a good share of the random payloads are of the plain shape: the fast paths were compared, not
        // just the tree with itself (byte by byte takes only "id" then "values", 559 of 20,000 with this seed)
        assertThat(streamed).isGreaterThan(2_000);
        assertThat(byByte).isGreaterThan(400);
    }

    @Test
    void theSeedPayloadIsReadByteByByteAsPythonWritesIt() throws Exception {
        byte[] seed = Files.readAllBytes(Path.of("src/test/resources/ingest-machine-data/seed-payload.json"));
        // json.dumps: ", " and ": " between tokens
        byte[] python = utf8(new String(seed, StandardCharsets.UTF_8)
                .replace(",", ", ")
                .replace(":", ": ")
                .replace("[", "[ \n"));
        assertThat(SeedBytes.readings("D", python, 5L))
                .isNotNull()
                .isEqualTo(Json.bytes(MachineReadings.tree("D", seed, 5L)));
        // a device id that JSON must escape takes Jackson's path
        assertThat(SeedBytes.readings("D\"1", seed, 5L)).isNull();
        assertThat(MachineReadings.readings("D\"1", seed, 5L))
                .isEqualTo(Json.bytes(MachineReadings.tree("D\"1", seed, 5L)));
    }

    /** 1 when a fast path took {@code payload} (its bytes then equal the tree's), 0 when it left it. */
    private static int compared(byte[] fast, byte[] payload, byte[] expected) {
        if (fast == null) {
            return 0;
        }
        assertThat(new String(fast, StandardCharsets.UTF_8))
                .as(new String(payload, StandardCharsets.UTF_8))
                .isEqualTo(new String(expected, StandardCharsets.UTF_8));
        return 1;
    }

    private static final List<String> SCALARS = List.of(
            "12.5",
            "0",
            "-3",
            "1200",
            "1e3",
            "9223372036854775807",
            "99999999999999999999",
            "1.0E-7",
            "\"RUNNING\"",
            "\"\"",
            "\"t\\\"q\\u00e9\"",
            "true",
            "null",
            "{\"a\":1}",
            "[1,2]",
            "-0.0",
            "2147483648");

    private static String randomPayload(Random r) {
        if (r.nextInt(40) == 0) {
            return List.of(
                            "nope",
                            "",
                            "[]",
                            "{}",
                            "{\"values\":{}}",
                            "{\"values\":[1]}",
                            "{\"values\":[]} x",
                            "{\"values\":[{\"id\":\"a\",\"values\":[1]}]")
                    .get(r.nextInt(8));
        }
        List<String> items = new ArrayList<>();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            List<String> fields = new ArrayList<>();
            int idKind = r.nextInt(20);
            if (idKind > 1) {
                fields.add("\"id\":" + (idKind == 2 ? "7" : idKind == 3 ? "null" : "\"ID_" + r.nextInt(50) + "\""));
            }
            if (r.nextInt(15) == 0) {
                fields.add("\"id\":\"DUP\"");
            }
            if (r.nextInt(20) > 0) {
                List<String> values = new ArrayList<>();
                int m = r.nextInt(12) == 0 ? 0 : 1 + r.nextInt(3);
                for (int k = 0; k < m; k++) {
                    values.add(SCALARS.get(r.nextInt(r.nextBoolean() ? 3 : SCALARS.size())));
                }
                fields.add("\"values\":[" + String.join(",", values) + "]");
            }
            if (r.nextInt(6) == 0) {
                fields.add("\"unit\":{\"x\":[1,{\"y\":2}]}");
            }
            java.util.Collections.shuffle(fields, r);
            items.add(r.nextInt(50) == 0 ? "5" : "{" + String.join(",", fields) + "}");
        }
        List<String> root = new ArrayList<>();
        root.add("\"values\":[" + String.join(",", items) + "]");
        if (r.nextInt(5) == 0) {
            root.add("\"device\":\"m\"");
        }
        if (r.nextInt(30) == 0) {
            root.add("\"values\":[]");
        }
        java.util.Collections.shuffle(root, r);
        String json = "{" + String.join(",", root) + "}";
        // as Python's json.dumps writes it, now and then (no string here holds ", " or ": ")
        return r.nextInt(4) == 0 ? json.replace(",", ", ").replace(":", ": ") : json;
    }
}
