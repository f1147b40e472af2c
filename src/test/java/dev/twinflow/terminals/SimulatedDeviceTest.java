package dev.twinflow.terminals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimulatedDeviceTest {

    final SimulatedDevice device = new SimulatedDevice("sim-1", new Random(1));

    static ObjectNode command(String command, String params) throws Exception {
        ObjectNode m = Json.MAPPER.createObjectNode().put("type", "command").put("id", "c-7");
        m.put("command", command).set("params", Json.MAPPER.readTree(params));
        return m;
    }

    @Test
    void setConfigMergesTheGivenKeysButKeepsItsId() throws Exception {
        JsonNode r = device.answer(command("set_config", "{\"config\":{\"threshold\":0.95,\"terminal_id\":\"x\"}}"));
        assertThat(r.get("id").asText()).isEqualTo("c-7");
        assertThat(r.get("success").asBoolean()).isTrue();
        JsonNode config = device.answer(command("get_config", "{}")).get("result");
        assertThat(config.get("threshold").asDouble()).isEqualTo(0.95);
        assertThat(config.get("terminal_id").asText()).isEqualTo("sim-1");
        assertThat(config.get("mode").asText()).isEqualTo("detect");
    }

    @Test
    void getLogsAnswersTheNewestEntriesOldestFirst() throws Exception {
        for (int i = 0; i < 5; i++) {
            device.logMessage();
        }
        device.answer(command("restart", "{}"));
        JsonNode logs = device.answer(command("get_logs", "{\"count\":2}")).get("result");
        assertThat(logs).hasSize(2);
        assertThat(logs.get(1).get("message").asText()).isEqualTo("restart requested");
    }

    @Test
    void keepsOnlyItsLast1000LogLines() throws Exception {
        for (int i = 0; i < SimulatedDevice.LOG_RING + 50; i++) {
            device.logMessage();
        }
        JsonNode logs = device.answer(command("get_logs", "{\"count\":5000}")).get("result");
        assertThat(logs).hasSize(SimulatedDevice.LOG_RING);
        assertThat(logs.findValuesAsText("message")).doesNotContain("terminal sim-1 booted");
    }

    @Test
    void unknownCommandsAndBadParamsAreAnsweredWithFailure() throws Exception {
        JsonNode unknown = device.answer(command("teleport", "{}"));
        assertThat(unknown.get("success").asBoolean()).isFalse();
        assertThat(unknown.get("error").asText()).contains("teleport");
        JsonNode bad = device.answer(command("set_config", "{\"config\":1}"));
        assertThat(bad.get("success").asBoolean()).isFalse();
    }

    @Test
    void statusReportsItsIdAndCurrentMode() throws Exception {
        device.answer(command("set_config", "{\"config\":{\"mode\":\"idle\"}}"));
        JsonNode status = device.statusMessage();
        assertThat(status.get("type").asText()).isEqualTo("status");
        assertThat(status.at("/data/terminal_id").asText()).isEqualTo("sim-1");
        assertThat(status.at("/data/mode").asText()).isEqualTo("idle");
        assertThat(status.at("/data/cpu_percent").asDouble()).isBetween(20.0, 70.0);
    }
}
