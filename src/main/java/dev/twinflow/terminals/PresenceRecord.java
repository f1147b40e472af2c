package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.time.Duration;
import java.time.Instant;

/**
 * A terminal's entry in the Redis hash {@code terminals}: written by the instance holding its session,
 * read by the HTTP API of any instance.
 *
 * @param connectedSince as written ({@code "null"} for a session that never authenticated), null if absent
 * @param node the instance that holds (or held) the session
 */
record PresenceRecord(
        String terminalId, boolean online, Instant lastSeen, String connectedSince, String node, String remote) {

    static PresenceRecord of(Session session, boolean online, Instant lastSeen, String node) {
        return new PresenceRecord(
                session.terminalId(), online, lastSeen, String.valueOf(session.connectedSince()), node, session.remote);
    }

    /** Missing fields read as an offline terminal last seen at the epoch. */
    static PresenceRecord parse(String json) {
        JsonNode p = CachedJson.parse(json);
        JsonNode since = p.get("connected_since");
        return new PresenceRecord(
                p.path("terminal_id").asText(),
                p.path("online").asBoolean(),
                Instant.parse(p.path("last_seen").asText(Instant.EPOCH.toString())),
                since == null || since.isNull() ? null : since.asText(),
                p.path("node").asText(),
                p.path("remote").asText(null));
    }

    String toJson() {
        ObjectNode p = Json.MAPPER.createObjectNode().put("terminal_id", terminalId);
        p.put("online", online).put("last_seen", lastSeen.toString());
        p.put("connected_since", connectedSince);
        return p.put("node", node).put("remote", remote).toString();
    }

    /**
     * "Online" also requires a recent heartbeat, so a terminal of an instance that died without saying
     * so shows offline once its heartbeat timeout has passed.
     */
    boolean onlineAt(Instant now, Duration heartbeatTimeout) {
        return online && Duration.between(lastSeen, now).compareTo(heartbeatTimeout) <= 0;
    }

    /** The record as the API shows it (no remote address; connected_since only while online). */
    ObjectNode view(Instant now, Duration heartbeatTimeout) {
        boolean shown = onlineAt(now, heartbeatTimeout);
        ObjectNode v = Json.MAPPER.createObjectNode().put("terminal_id", terminalId);
        v.put("online", shown).put("last_seen", lastSeen.toString());
        v.put("connected_since", shown ? connectedSince : null);
        return v.put("node", node);
    }
}
