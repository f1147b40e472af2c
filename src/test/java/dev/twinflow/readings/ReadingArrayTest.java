package dev.twinflow.readings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.system.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadingArrayTest {

    /**
     * What the tree of the whole record says: the rules of MachineReading.of, item by item (the readings in
     * order, then the items that are not).
     */
    private static List<Object> byTree(String json) {
        JsonNode array;
        try {
            array = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return null;
        }
        if (array == null || !array.isArray()) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        List<Object> bad = new ArrayList<>();
        for (JsonNode item : array) {
            try {
                out.add(MachineReading.of(item));
            } catch (IllegalArgumentException e) {
                bad.add(e.getMessage() + " " + item);
            }
        }
        out.addAll(bad);
        return out;
    }

    private static List<Object> streamed(String json) {
        List<MachineReading> readings = new ArrayList<>();
        List<ReadingArray.Invalid> invalid = new ArrayList<>();
        if (!ReadingArray.read(json.getBytes(StandardCharsets.UTF_8), readings, invalid)) {
            assertThat(readings).isEmpty();
            assertThat(invalid).isEmpty();
            return null;
        }
        List<Object> out = new ArrayList<>(readings);
        for (ReadingArray.Invalid i : invalid) {
            out.add(i.reason() + " " + new String(i.json(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[{\"device_id\":\"press-1\",\"data_id\":\"temp\",\"value\":21.5,\"ts\":1700000000000}]",
                "[{\"ts\":5,\"value\":\"RUNNING\",\"data_id\":\"state\",\"device_id\":\"p\",\"extra\":{\"a\":[1,2]}}]",
                "[{\"device_id\":\"p\",\"data_id\":\"d\",\"value\":null,\"value_text\":\"t\",\"ts\":1}]",
                "[{\"device_id\":\"p\",\"data_id\":\"d\",\"value\":3,\"value_text\":\"both\",\"ts\":1}]",
                "[{\"device_id\":\"p\",\"data_id\":\"d\",\"value\":\"text\",\"value_text\":\"ignored\",\"ts\":1}]",
                "[{\"device_id\":\"p\",\"data_id\":12,\"value\":1,\"ts\":1}]",
                "[{\"device_id\":\"p\",\"data_id\":\"d\",\"value\":{\"nested\":true},\"ts\":1}]",
                "[{\"device_id\":\"p\",\"data_id\":\"d\",\"value\":[1,2],\"ts\":1}]",
                "[{\"device_id\":\"p\",\"data_id\":\"d\",\"value\":true,\"ts\":1}]",
                "[{\"device_id\":\"p\",\"data_id\":\"d\",\"value\":1}]",
                "[{\"device_id\":\"p\",\"data_id\":\"d\",\"value\":1,\"ts\":1.5}]",
                "[{\"device_id\":\"p\",\"data_id\":\"d\",\"value\":1,\"ts\":99999999999999999999999}]",
                "[{\"device_id\":\"\",\"data_id\":\"d\",\"value\":1,\"ts\":1}]",
                "[{\"device_id\":7,\"data_id\":\"d\",\"value\":1,\"ts\":1}]",
                "[{\"device_id\":\"p\",\"data_id\":\"d\",\"ts\":1}]",
                "[{\"device_id\":\"p\",\"device_id\":\"q\",\"data_id\":\"d\",\"value\":1,\"ts\":1}]",
                "[{\"device_id\":\"p\",\"data_id\":\"d\",\"value\":1e3,\"ts\":-4}]",
                "[ 1, \"x\", null, [ ], { } ]",
                "[]",
                "[{\"device_id\":\"p\",\"data_id\":\"d\",\"value\":1,\"ts\":1}",
                "[{\"device_id\":\"p\",\"data_id\":\"d\",\"value\":1,\"ts\":1}] trailing",
                "{\"device_id\":\"p\"}",
                "not json",
                "",
                "[{\"device_id\":\"ü設備\",\"data_id\":\"温度\",\"value\":\"高\",\"ts\":1}, {\"device_id\":\"p\"}]"
            })
    void aRecordReadsAsTheTreeOfItWould(String json) {
        assertThat(streamed(json)).isEqualTo(byTree(json));
    }

    @Test
    void randomMixesOfGoodAndBadItemsReadAsTheTreeOfThemWould() {
        Random random = new Random(42);
        String[] items = {
            "{\"device_id\":\"d%d\",\"data_id\":\"x\",\"value\":%d,\"ts\":%d}",
            "{\"device_id\":\"d%d\",\"data_id\":\"x\",\"value\":\"t%d\",\"ts\":%d}",
            "{\"device_id\":\"d%d\",\"data_id\":%d,\"value\":1,\"ts\":%d}",
            "{\"device_id\":\"d%d\",\"value\":%d,\"ts\":%d}",
            "{\"device_id\":\"d%d\",\"data_id\":\"x\",\"value\":{\"v\":%d},\"ts\":%d}"
        };
        for (int round = 0; round < 200; round++) {
            StringBuilder json = new StringBuilder("[");
            int n = random.nextInt(8);
            for (int i = 0; i < n; i++) {
                json.append(i == 0 ? "" : ",")
                        .append(String.format(
                                items[random.nextInt(items.length)], i, random.nextInt(1000), random.nextLong()));
            }
            String record = json.append("]").toString();
            assertThat(streamed(record)).as(record).isEqualTo(byTree(record));
        }
    }
}
