package dev.twinflow.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MachineReadingsTest {

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyItemOfTheSeedPayloadBecomesOneReadingOfItsFirstValue() throws Exception {
        byte[] seed = Files.readAllBytes(Path.of("src/test/resources/ingest-machine-data/seed-payload.json"));
        JsonNode readings = MachineReadings.readings("STRESS_TEST_00000", seed, 1234L);
        assertThat(readings.toString())
                .isEqualTo("[{\"device_id\":\"STRESS_TEST_00000\",\"data_id\":\"X_POS\",\"value\":12.5,"
                        + "\"value_text\":null,\"ts\":1234},"
                        + "{\"device_id\":\"STRESS_TEST_00000\",\"data_id\":\"SPINDLE_SPEED\",\"value\":1200,"
                        + "\"value_text\":null,\"ts\":1234},"
                        + "{\"device_id\":\"STRESS_TEST_00000\",\"data_id\":\"STATE\",\"value\":null,"
                        + "\"value_text\":\"RUNNING\",\"ts\":1234}]");
    }

    @Test
    void numericIdsAndNonScalarValuesAreKeptAsText() {
        JsonNode readings = MachineReadings.readings("d", utf8("{\"values\":[{\"id\":7,\"values\":[{\"a\":1}]}]}"), 1L);
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
}
