package dev.twinflow.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What one machine_data batch writes to Redis: each field once, with its last value, every reading counted. */
class MachineLatestTest {

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
        MachineLatest.Latest latest = MachineLatest.Latest.of(List.of(
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
        MachineLatest.Latest latest = MachineLatest.Latest.of(List.of(
                "not json".getBytes(StandardCharsets.UTF_8),
                ("[{\"device_id\":\"m1\",\"data_id\":\"STATE\",\"value\":null,\"value_text\":\"RUN\",\"ts\":1}]")
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(text(latest.perDevice().get("m1").get("STATE"))).isEqualTo("\"RUN\"");
        assertThat(latest.counts()).containsOnlyKeys("m1");
    }
}
