package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.Json;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.springframework.stereotype.Component;

/**
 * The terminal end of route {@code sync-terminals}: one exchange per WebSocket event (open, message,
 * close). Authenticates {@code hello}, pulls status, config and logs, caches what terminals send, and
 * tracks who is online. Vert.x runs these exchanges on a single worker thread (see
 * TerminalsConfiguration), so one connection's messages are handled in the order they arrived.
 */
@Component("terminalSessions")
public class TerminalSessions implements Processor, AutoCloseable {

    /** RFC 6455 1008: policy violation, used for failed authentication. */
    static final int REFUSED = 1008;
    /** Application close codes (4000-4999). */
    static final int HEARTBEAT_MISSED = 4000;

    static final int REPLACED = 4001;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TerminalSessions.class);

    private final TerminalsProperties properties;
    private final TerminalAuth auth;
    private final TerminalCache cache;
    private final Clock clock;
    private final String node;
    private final PendingCommands commands = new PendingCommands();
    private final Map<String, Session> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Session> byTerminal = new ConcurrentHashMap<>();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder badMessages = new LongAdder();
    private final ScheduledExecutorService sweeper;

    TerminalSessions(
            TerminalsProperties properties,
            TerminalAuth auth,
            TerminalCache cache,
            Clock clock,
            TwinflowProperties twinflow) {
        this.properties = properties;
        this.auth = auth;
        this.cache = cache;
        this.clock = clock;
        this.node = twinflow.nodeName();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "terminal-liveness");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, Math.min(1000, properties.heartbeatTimeout().toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /** Terminals connected to this instance and past their hello. */
    public int onlineCount() {
        return byTerminal.size();
    }

    @Override
    public void process(Exchange exchange) {
        String key = exchange.getMessage().getHeader(VertxWebsocketConstants.CONNECTION_KEY, String.class);
        String event = String.valueOf(exchange.getMessage().getHeader(VertxWebsocketConstants.EVENT));
        switch (event) {
            case "OPEN" ->
                byConnection.put(
                        key, new Session(key, exchange.getMessage().getBody(ServerWebSocket.class), clock.instant()));
            case "CLOSE" -> closed(byConnection.remove(key));
            case "MESSAGE" -> {
                Session session = byConnection.get(key);
                if (session != null) {
                    message(session, exchange.getMessage().getBody(String.class));
                }
            }
            default -> LOG.debug("websocket {} on {}", event, key);
        }
    }

    private void message(Session session, String text) {
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
                hello(session, m, now);
            } else {
                rejected.increment();
                session.close(REFUSED, "not authenticated: send hello with terminal_id and token first");
            }
            return;
        }
        switch (type) {
            case "ping" -> {
                cache.presence(id, presence(session, true, now));
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

    private void hello(Session session, ObjectNode m, Instant now) {
        JsonNode idNode = m.path("terminal_id");
        String id = idNode.isTextual() || idNode.isIntegralNumber() ? idNode.asText() : null;
        if (!auth.accepts(id, m.path("token").isTextual() ? m.get("token").asText() : null)) {
            rejected.increment();
            LOG.info("refused terminal {} from {}: bad id or token", id, session.remote);
            session.close(
                    REFUSED,
                    id == null || !TerminalAuth.ID.matcher(id).matches()
                            ? "authentication failed: terminal_id must match [A-Za-z0-9._-]{1,64}"
                            : "authentication failed for terminal '" + id + "'");
            return;
        }
        session.authenticated(id, now);
        Session previous = byTerminal.put(id, session);
        if (previous != null && previous != session) {
            byConnection.remove(previous.connectionKey);
            previous.close(REPLACED, "replaced by a newer connection of terminal '" + id + "'");
        }
        cache.presence(id, presence(session, true, now));
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
        entry.put("level", m.get("level").asText().toUpperCase(java.util.Locale.ROOT));
        entry.put("message", m.get("message").asText());
        entry.set("source", m.path("source").isValueNode() ? m.get("source") : Json.MAPPER.nullNode());
        entry.set(
                "ts",
                m.path("ts").isValueNode()
                        ? m.get("ts")
                        : Json.MAPPER.getNodeFactory().numberNode(now.toEpochMilli()));
        return entry;
    }

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

    private String presence(Session session, boolean online, Instant lastSeen) {
        ObjectNode p = Json.MAPPER.createObjectNode().put("terminal_id", session.terminalId());
        p.put("online", online).put("last_seen", lastSeen.toString());
        p.put("connected_since", String.valueOf(session.connectedSince()));
        return p.put("node", node).put("remote", session.remote).toString();
    }

    private void error(Session session, String error, String detail) {
        badMessages.increment();
        session.send(Json.MAPPER
                .createObjectNode()
                .put("type", "error")
                .put("error", error)
                .put("detail", detail));
    }

    /** A closed (or given-up) connection: its terminal goes offline, unless a newer one took over. */
    private void closed(Session session) {
        if (session == null || session.terminalId() == null) {
            return;
        }
        String id = session.terminalId();
        if (byTerminal.remove(id, session)) {
            cache.presence(id, presence(session, false, session.lastSeen()));
            commands.disconnected(id);
            LOG.debug("terminal {} offline", id);
        }
    }

    private void sweep() {
        try {
            Instant now = clock.instant();
            for (Session s : byConnection.values()) {
                if (s.terminalId() == null) {
                    if (Duration.between(s.openedAt, now).compareTo(properties.helloTimeout()) > 0) {
                        rejected.increment();
                        byConnection.remove(s.connectionKey);
                        s.close(
                                REFUSED,
                                "not authenticated: no hello within "
                                        + properties.helloTimeout().toSeconds() + " s");
                    }
                } else if (Duration.between(s.lastSeen(), now).compareTo(properties.heartbeatTimeout()) > 0) {
                    // offline now, not when (or if) the close handshake completes
                    byConnection.remove(s.connectionKey);
                    s.close(
                            HEARTBEAT_MISSED,
                            "no heartbeat for " + properties.heartbeatTimeout().toSeconds() + " s");
                    closed(s);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("terminal liveness check failed", e);
        }
    }

    /** The terminal's session on this instance, or null. */
    Session session(String terminalId) {
        return byTerminal.get(terminalId);
    }

    PendingCommands commands() {
        return commands;
    }

    Collection<Session> online() {
        return byTerminal.values();
    }

    long rejected() {
        return rejected.sum();
    }

    long badMessages() {
        return badMessages.sum();
    }

    String node() {
        return node;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
