package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/** A connection becomes a terminal's session only by an accepted {@code hello}; else it is closed with 1008. */
@Component
class Handshake {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Handshake.class);

    private final TerminalsProperties properties;
    private final TerminalAuth auth;
    private final Presence presence;
    private final PendingCommands commands;
    private final LongAdder rejected = new LongAdder();

    Handshake(TerminalsProperties properties, TerminalAuth auth, Presence presence, PendingCommands commands) {
        this.properties = properties;
        this.auth = auth;
        this.presence = presence;
        this.commands = commands;
    }

    void hello(Session session, ObjectNode m, Instant now) {
        JsonNode idNode = m.path("terminal_id");
        String id = idNode.isTextual() || idNode.isIntegralNumber() ? idNode.asText() : null;
        if (!auth.accepts(id, m.path("token").isTextual() ? m.get("token").asText() : null)) {
            LOG.info("refused terminal {} from {}: bad id or token", id, session.remote);
            refuse(
                    session,
                    id == null || !TerminalAuth.ID.matcher(id).matches()
                            ? "authentication failed: terminal_id must match [A-Za-z0-9._-]{1,64}"
                            : "authentication failed for terminal '" + id + "'");
            return;
        }
        session.authenticated(id, now);
        presence.claim(session, now);
        session.send(Json.MAPPER
                .createObjectNode()
                .put("type", "welcome")
                .put("terminal_id", id)
                .put("heartbeat_interval", properties.heartbeatInterval().toSeconds()));
        // the seed's pulls: a (re)connected terminal's caches are refreshed at once
        commands.send(session, "get_status", null, properties.commandTimeout());
        commands.send(session, "get_config", null, properties.commandTimeout());
        commands.send(
                session,
                "get_logs",
                Json.MAPPER.createObjectNode().put("count", properties.initialLogCount()),
                properties.commandTimeout());
    }

    /** Anything but {@code hello} before {@code hello}. */
    void notAuthenticated(Session session) {
        refuse(session, "not authenticated: send hello with terminal_id and token first");
    }

    /** No {@code hello} within the hello timeout. */
    void tooLate(Session session) {
        refuse(
                session,
                "not authenticated: no hello within "
                        + properties.helloTimeout().toSeconds() + " s");
    }

    private void refuse(Session session, String reason) {
        rejected.increment();
        session.close(Session.REFUSED, reason);
    }

    /** Connections refused since start. */
    long rejected() {
        return rejected.sum();
    }
}
