package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs simulated terminals inside the app ({@code twinflow.terminals.simulator.count} at start, or
 * {@code POST /simulator/terminals/start}); they authenticate with the same secret as real ones.
 */
@Component("terminalSimulator")
public class TerminalSimulator implements AutoCloseable {

    private final TerminalsProperties properties;
    private final TerminalAuth auth;
    private final Vertx vertx;
    private final WebSocketClient client;
    private final List<SimulatedTerminal> running = new ArrayList<>();

    TerminalSimulator(TerminalsProperties properties, TerminalAuth auth, Vertx terminalsVertx) {
        this.properties = properties;
        this.auth = auth;
        this.vertx = terminalsVertx;
        // Vert.x allows 50 connections per server by default; the rest would queue
        this.client = terminalsVertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(100_000)
                .setMaxFrameSize((int) properties.maxFrameSize().toBytes())
                .setMaxMessageSize((int) properties.maxMessageSize().toBytes()));
    }

    @EventListener(ApplicationReadyEvent.class)
    void autostart() {
        if (properties.simulator().count() > 0) {
            start(properties.simulator().count(), properties.simulator().idPrefix());
        }
    }

    /** {@code POST /simulator/terminals/start} {count, id_prefix}: adds terminals {prefix}1..{count}. */
    public byte[] start(String body) {
        ObjectNode request = body == null || body.isBlank() ? Json.MAPPER.createObjectNode() : Json.parseObject(body);
        JsonNode count = request.path("count");
        if (!count.canConvertToInt() || count.asInt() < 1 || count.asInt() > 100_000) {
            throw ApiException.unprocessable("invalid_count", "'count' must be an integer from 1 to 100000");
        }
        String prefix = request.path("id_prefix").asText(properties.simulator().idPrefix());
        if (!TerminalAuth.ID.matcher(prefix + count.asInt()).matches()) {
            throw ApiException.unprocessable("invalid_id_prefix", "ids must match [A-Za-z0-9._-]{1,64}");
        }
        start(count.asInt(), prefix);
        return status();
    }

    synchronized void start(int count, String prefix) {
        URI url = URI.create(
                properties.simulator().url() != null
                        ? properties.simulator().url()
                        : "ws://127.0.0.1:" + properties.port() + properties.path());
        for (int i = 1; i <= count; i++) {
            String id = prefix + i;
            if (running.stream().anyMatch(t -> t.id().equals(id))) {
                continue;
            }
            SimulatedTerminal t = new SimulatedTerminal(
                    vertx,
                    client,
                    url,
                    id,
                    auth.tokenFor(id),
                    properties.simulator().statusInterval(),
                    properties.simulator().logInterval());
            running.add(t);
            t.start();
        }
    }

    /** {@code POST /simulator/terminals/stop}: disconnects them all. */
    public synchronized byte[] stop() {
        running.forEach(SimulatedTerminal::stop);
        running.clear();
        return status();
    }

    /** {@code GET /simulator/terminals}. */
    public synchronized byte[] status() {
        long connected = running.stream().filter(SimulatedTerminal::connected).count();
        return Json.bytes(
                Json.MAPPER.createObjectNode().put("terminals", running.size()).put("connected", connected));
    }

    @Override
    public synchronized void close() {
        running.forEach(SimulatedTerminal::stop);
        running.clear();
    }
}
