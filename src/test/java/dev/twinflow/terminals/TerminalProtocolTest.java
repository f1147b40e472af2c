package dev.twinflow.terminals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.system.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TerminalProtocolTest {

    static final Instant NOW = Instant.ofEpochMilli(1_700_000_000_000L);

    static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void aLogEntryKeepsItsFieldsWithTheLevelUpperCased() throws Exception {
        JsonNode entry = TerminalProtocol.logEntry(
                json("{\"type\":\"log\",\"level\":\"warn\",\"message\":\"hot\",\"source\":\"camera\",\"ts\":42}"), NOW);
        assertThat(entry.toString())
                .isEqualTo("{\"level\":\"WARN\",\"message\":\"hot\",\"source\":\"camera\",\"ts\":42}");
    }

    @Test
    void aLogEntryWithoutSourceOrTimeGetsNullAndNow() throws Exception {
        JsonNode entry = TerminalProtocol.logEntry(json("{\"level\":\"INFO\",\"message\":\"m\"}"), NOW);
        assertThat(entry.get("source").isNull()).isTrue();
        assertThat(entry.get("ts").asLong()).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void aLogEntryNeedsATextLevelAndMessage() throws Exception {
        assertThat(TerminalProtocol.logEntry(json("{\"level\":\"INFO\"}"), NOW)).isNull();
        assertThat(TerminalProtocol.logEntry(json("{\"level\":1,\"message\":\"m\"}"), NOW))
                .isNull();
        assertThat(TerminalProtocol.logEntry(json("{\"level\":\"INFO\",\"message\":{}}"), NOW))
                .isNull();
    }
}
