package dev.twinflow.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class MachineExportTest {

    static List<GenericRecord> rows(String json) {
        return MachineExport.rows(json.getBytes(StandardCharsets.UTF_8), 2, 41);
    }

    @Test
    void aRecordsReadingsBecomeRowsWithTheirKafkaPosition() {
        List<GenericRecord> rows = rows("[{\"device_id\":\"p1\",\"data_id\":\"X\",\"value\":12.5,\"ts\":1000},"
                + "{\"device_id\":\"p1\",\"data_id\":\"STATE\",\"value\":null,\"value_text\":\"RUNNING\",\"ts\":1001,"
                + "\"extra\":{\"ignored\":[1,2]}}]");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("device_id")).isEqualTo("p1");
        assertThat(rows.get(0).get("value")).isEqualTo(12.5);
        assertThat(rows.get(0).get("value_text")).isNull();
        assertThat(rows.get(0).get("ts")).isEqualTo(1000L);
        assertThat(rows.get(1).get("value")).isNull();
        assertThat(rows.get(1).get("value_text")).isEqualTo("RUNNING");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("kafka_partition")).isEqualTo(2);
            assertThat(r.get("kafka_offset")).isEqualTo(41L);
        });
    }

    @Test
    void whatIsNotACompleteArrayOfReadingsIsUnreadable() {
        assertThat(rows("{\"device_id\":\"p1\"}")).isNull();
        assertThat(rows("[{\"device_id\":\"p1\",\"value\":1}")).isNull();
        assertThat(rows("not json")).isNull();
        assertThat(rows("[1,2]")).isNull();
        assertThat(rows("[]")).isEmpty();
    }
}
