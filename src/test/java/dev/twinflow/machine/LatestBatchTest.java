package dev.twinflow.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What one machine_data batch writes to Redis: each field once, with its last value, every reading counted. */
class LatestBatchTest {

    static byte[] record(String device, String dataId, String value, long ts) {
        return ("[{\"device_id\":\"" + device + "\",\"data_id\":\"" + dataId + "\",\"value\":" + value
                        + ",\"value_text\":null,\"ts\":" + ts + "}]")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Test
    void aBatchWritesEachFieldOnceWithItsLastValueAndCountsEveryReading() {
        LatestBatch latest = LatestBatch.of(List.of(
                record("m1", "T", "1.5", 1),
                record("m1", "T", "2.5", 2),
                record("m2", "T", "9", 3),
                record("m1", "T", "3.5", 4),
                record("m1", "S", "7", 5)));

        assertThat(latest.perDevice().get("m1")).containsOnlyKeys("T", "S");
        assertThat(text(latest.perDevice().get("m1").get("T"))).isEqualTo("3.5");
        assertThat(text(latest.perDevice().get("m2").get("T"))).isEqualTo("9");
        assertThat(latest.global()).containsOnlyKeys("T", "S");
        assertThat(text(latest.global().get("T"))).isEqualTo("3.5");
        assertThat(latest.counts()).containsEntry("m1", 4L).containsEntry("m2", 1L);
    }

    @Test
    void textValuesAreKeptAsJsonStringsAndBadRecordsSkipped() {
        LatestBatch latest = LatestBatch.of(List.of(
                "not json".getBytes(StandardCharsets.UTF_8),
                ("[{\"device_id\":\"m1\",\"data_id\":\"STATE\",\"value\":null,\"value_text\":\"RUN\",\"ts\":1}]")
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(text(latest.perDevice().get("m1").get("STATE"))).isEqualTo("\"RUN\"");
        assertThat(latest.counts()).containsOnlyKeys("m1");
    }

    @Test
    void theStreamingPassStoresTheSameBytesAsTheJsonTreeForEveryShape() {
        java.util.Random random = new java.util.Random(4);
        String[] values = {
            "1.5",
            "-0.25",
            "9",
            "1234567890123",
            "6.02E23",
            "null",
            "true",
            "\"RUN\"",
            "\"quote \\\" and \\u00e9 \\n\"",
            "\"温度\""
        };
        for (int i = 0; i < 5_000; i++) {
            StringBuilder json = new StringBuilder("[");
            int n = random.nextInt(4);
            for (int j = 0; j < n; j++) {
                json.append(j == 0 ? "" : ",")
                        .append("{\"device_id\":\"m")
                        .append(random.nextInt(3))
                        .append("\",\"data_id\":\"D")
                        .append(random.nextInt(4))
                        .append("\",\"value\":")
                        .append(values[random.nextInt(values.length)])
                        .append(",\"value_text\":")
                        .append(values[random.nextInt(values.length)])
                        .append(",\"ts\":")
                        .append(random.nextInt(1000))
                        .append('}');
            }
            byte[] record = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
            List<LatestBatch.Change> changes = new java.util.ArrayList<>();
            assertThat(LatestBatch.streamed(record, changes))
                    .as(json.toString())
                    .isTrue();
            LatestBatch tree = new LatestBatch(
                    new java.util.LinkedHashMap<>(), new java.util.LinkedHashMap<>(), new java.util.HashMap<>());
            LatestBatch.tree(record, tree);
            LatestBatch streamed = LatestBatch.of(List.of(record));
            assertThat(render(streamed)).as(json.toString()).isEqualTo(render(tree));
        }
    }

    @Test
    void oddShapesTakeTheTreePath() {
        for (String odd : List.of(
                "{\"device_id\":\"m1\"}",
                "[{\"device_id\":\"m1\",\"data_id\":\"T\",\"value\":{\"nested\":1},\"ts\":1}]",
                "[{\"device_id\":7,\"data_id\":\"T\",\"value\":1,\"ts\":1}]",
                "[{\"device_id\":\"m1\",\"data_id\":\"T\",\"value\":1,\"ts\":1}] trailing",
                "[{\"device_id\":\"m1\",\"data_id\":\"T\",\"ts\":1}]")) {
            assertThat(LatestBatch.streamed(odd.getBytes(StandardCharsets.UTF_8), new java.util.ArrayList<>()))
                    .as(odd)
                    .isFalse();
        }
        // a numeric device id still counts, as the tree reads it
        LatestBatch latest = LatestBatch.of(
                List.of("[{\"device_id\":7,\"data_id\":\"T\",\"value\":1,\"ts\":1}]".getBytes(StandardCharsets.UTF_8)));
        assertThat(latest.counts()).containsEntry("7", 1L);
    }

    static String render(LatestBatch latest) {
        StringBuilder out = new StringBuilder();
        latest.perDevice()
                .forEach((device, values) -> values.forEach((field, value) -> out.append(device)
                        .append('/')
                        .append(field)
                        .append('=')
                        .append(text(value))
                        .append(';')));
        latest.global()
                .forEach((field, value) ->
                        out.append(field).append('=').append(text(value)).append(';'));
        return out.append(new java.util.TreeMap<>(latest.counts())).toString();
    }
}
