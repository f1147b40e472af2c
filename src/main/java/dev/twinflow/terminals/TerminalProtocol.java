package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/** What terminals send and where it goes in Redis; a bad message gets an {@code error} and the connection stays. */
@Component
class TerminalProtocol {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TerminalProtocol.class);

    private final Handshake handshake;
    private final Presence presence;
    private final PendingCommands commands;
    private final TerminalCache cache;
    private final Clock clock;
    private final LongAdder badMessages = new LongAdder();

    TerminalProtocol(
            Handshake handshake, Presence presence, PendingCommands commands, TerminalCache cache, Clock clock) {
        this.handshake = handshake;
        this.presence = presence;
        this.commands = commands;
        this.cache = cache;
        this.clock = clock;
    }

    void message(Session session, String text) {
        Instant now = clock.instant();
        session.seen(now);
        JsonNode node;
        try {
            node = text == null ? null : Json.MAPPER.readTree(text);
        } catch (IOException e) {
            error(session, "invalid_json", "the message is not valid JSON");
            return;
        }
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            error(session, "invalid_message", "send a JSON object with a string field 'type'");
            return;
        }
        ObjectNode m = (ObjectNode) node;
        String type = m.get("type").asText();
        String id = session.terminalId();
        if (id == null) {
            if (type.equals("hello")) {
                handshake.hello(session, m, now);
            } else {
                handshake.notAuthenticated(session);
            }
            return;
        }
        switch (type) {
            case "ping" -> {
                presence.seen(session, now);
                session.send(Json.MAPPER.createObjectNode().put("type", "pong").put("ts", now.toEpochMilli()));
            }
            case "log" -> log(session, m, now);
            case "status" -> {
                if (m.path("data").isObject()) {
                    cache.status(id, m.get("data").toString());
                } else {
                    error(session, "invalid_status", "a status message carries an object 'data'");
                }
            }
            case "command_response" -> response(session, m);
            case "hello" -> error(session, "already_authenticated", "this connection is terminal '" + id + "'");
            default -> error(session, "unknown_type", "unknown message type '" + type + "'");
        }
    }

    private void log(Session session, ObjectNode m, Instant now) {
        ObjectNode entry = logEntry(m, now);
        if (entry == null) {
            error(session, "invalid_log", "a log message carries strings 'level' and 'message'");
            return;
        }
        cache.logs(session.terminalId(), List.of(entry.toString()), false);
    }

    /** {level, message, source, ts} or null when level or message is missing. */
    static ObjectNode logEntry(JsonNode m, Instant now) {
        if (!m.path("level").isTextual() || !m.path("message").isTextual()) {
            return null;
        }
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("level", m.get("level").asText().toUpperCase(Locale.ROOT));
        entry.put("message", m.get("message").asText());
        entry.set("source", m.path("source").isValueNode() ? m.get("source") : Json.MAPPER.nullNode());
        entry.set(
                "ts",
                m.path("ts").isValueNode()
                        ? m.get("ts")
                        : Json.MAPPER.getNodeFactory().numberNode(now.toEpochMilli()));
        return entry;
    }

    /** Answers to the pulls (and to {@code set_config}) refresh the caches; others only reach their caller. */
    private void response(Session session, ObjectNode m) {
        String id = session.terminalId();
        PendingCommands.Pending p = commands.answer(id, m.path("id").asText(null), m);
        if (p == null) {
            LOG.debug("ignored a response of terminal {} to unknown command {}", id, m.path("id"));
            return;
        }
        JsonNode result = m.get("result");
        if (!m.path("success").asBoolean(false) || result == null || result.isNull()) {
            return;
        }
        switch (p.command()) {
            case "get_config", "set_config" -> storeConfig(id, result);
            case "get_status" -> cache.status(id, result.toString());
            case "get_logs" -> {
                JsonNode list = result.isArray() ? result : result.path("logs");
                if (list.isArray()) {
                    List<String> entries = new ArrayList<>(list.size());
                    Instant now = clock.instant();
                    list.forEach(l -> {
                        ObjectNode e = logEntry(l, now);
                        if (e != null) {
                            entries.add(e.toString());
                        }
                    });
                    cache.logs(id, entries, true);
                }
            }
            default -> {}
        }
    }

    private void storeConfig(String id, JsonNode config) {
        ObjectNode durable = Json.MAPPER.createObjectNode();
        durable.set("config", config);
        durable.put("updated_at", clock.instant().toString());
        cache.config(id, config.toString(), durable.toString());
    }

    private void error(Session session, String error, String detail) {
        badMessages.increment();
        session.send(Json.MAPPER
                .createObjectNode()
                .put("type", "error")
                .put("error", error)
                .put("detail", detail));
    }

    /** Messages answered with an error since start. */
    long badMessages() {
        return badMessages.sum();
    }
}
