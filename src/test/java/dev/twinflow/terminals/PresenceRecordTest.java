package dev.twinflow.terminals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PresenceRecordTest {

    static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    static PresenceRecord online(Instant lastSeen) {
        return new PresenceRecord("t1", true, lastSeen, "2026-01-02T03:00:00Z", "node-a", "/10.0.0.1:5000");
    }

    @Test
    void aRecordReadsBackAsWritten() {
        PresenceRecord p = online(NOW);
        assertThat(PresenceRecord.parse(p.toJson())).isEqualTo(p);
    }

    @Test
    void anOnlineRecordWithARecentHeartbeatShowsOnlineWithItsConnectionTime() {
        JsonNode view = online(NOW.minus(TIMEOUT)).view(NOW, TIMEOUT);
        assertThat(view.get("online").asBoolean()).isTrue();
        assertThat(view.get("connected_since").asText()).isEqualTo("2026-01-02T03:00:00Z");
        assertThat(view.get("node").asText()).isEqualTo("node-a");
        assertThat(view.has("remote")).isFalse();
    }

    @Test
    void anOnlineRecordPastTheHeartbeatTimeoutShowsOffline() {
        PresenceRecord stale = online(NOW.minus(TIMEOUT).minusMillis(1));
        JsonNode view = stale.view(NOW, TIMEOUT);
        assertThat(stale.onlineAt(NOW, TIMEOUT)).isFalse();
        assertThat(view.get("online").asBoolean()).isFalse();
        assertThat(view.get("connected_since").isNull()).isTrue();
        assertThat(view.get("last_seen").asText()).isEqualTo(stale.lastSeen().toString());
    }

    @Test
    void anOfflineRecordShowsOfflineHoweverRecent() {
        PresenceRecord offline = new PresenceRecord("t1", false, NOW, "2026-01-02T03:00:00Z", "node-a", null);
        assertThat(offline.view(NOW, TIMEOUT).get("online").asBoolean()).isFalse();
    }

    @Test
    void missingFieldsReadAsOfflineSinceTheEpoch() {
        PresenceRecord p = PresenceRecord.parse("{\"terminal_id\":\"t1\"}");
        assertThat(p).isEqualTo(new PresenceRecord("t1", false, Instant.EPOCH, null, "", null));
    }
}
