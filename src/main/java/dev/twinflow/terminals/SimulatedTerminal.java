package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Random;

/**
 * A digital twin of a detecting end (seed 003): connects, says {@code hello}, answers commands (from
 * its {@link SimulatedDevice}), pushes logs and status on a schedule, pings, and reconnects with
 * exponential back-off. Everything runs on its Vert.x context, so its state needs no locks.
 */
public final class SimulatedTerminal {

    private final Vertx vertx;
    private final Context context;
    private final WebSocketClient client;
    private final WebSocketConnectOptions target;
    private final String id;
    private final String token;
    private final Duration statusInterval;
    private final Duration logInterval;
    private final Random random;
    private final SimulatedDevice device;
    private volatile WebSocket socket;
    private volatile boolean stopped;
    private volatile boolean welcomed;
    private volatile String lastClose;
    private int attempts;
    private final long[] timers = {-1, -1, -1};

    public SimulatedTerminal(
            Vertx vertx,
            WebSocketClient client,
            URI url,
            String id,
            String token,
            Duration statusInterval,
            Duration logInterval) {
        this.vertx = vertx;
        // one event loop per terminal, fixed: its callbacks and timers never run concurrently
        this.context = vertx.getOrCreateContext();
        this.client = client;
        this.target = new WebSocketConnectOptions()
                .setHost(url.getHost())
                .setPort(url.getPort())
                .setURI(url.getRawPath())
                .setSsl("wss".equals(url.getScheme()));
        this.id = id;
        this.token = token;
        this.statusInterval = statusInterval;
        this.logInterval = logInterval;
        this.random = new Random(id.hashCode());
        this.device = new SimulatedDevice(id, random);
    }

    public String id() {
        return id;
    }

    /** Authenticated and connected right now. */
    public boolean connected() {
        return welcomed && socket != null && !socket.isClosed();
    }

    /** The close reason of the last connection the server ended, e.g. a failed authentication. */
    public String lastClose() {
        return lastClose;
    }

    public void start() {
        context.runOnContext(v -> connect());
    }

    public void stop() {
        stopped = true;
        context.runOnContext(v -> {
            cancelTimers();
            if (socket != null) {
                socket.close((short) 1000, "simulator stopped");
            }
        });
    }

    private void connect() {
        if (stopped) {
            return;
        }
        client.connect(target).onSuccess(this::opened).onFailure(e -> reconnectLater());
    }

    private void opened(WebSocket ws) {
        socket = ws;
        ws.textMessageHandler(this::onMessage);
        ws.closeHandler(v -> {
            welcomed = false;
            lastClose = ws.closeStatusCode() + " " + ws.closeReason();
            cancelTimers();
            reconnectLater();
        });
        ws.exceptionHandler(e -> {});
        send(Json.MAPPER
                .createObjectNode()
                .put("type", "hello")
                .put("terminal_id", id)
                .put("token", token));
    }

    private void reconnectLater() {
        if (stopped) {
            return;
        }
        long delay = Math.min(30_000L, 500L << Math.min(attempts++, 6));
        vertx.setTimer(delay / 2 + random.nextLong(delay / 2 + 1), t -> connect());
    }

    private void onMessage(String text) {
        JsonNode m;
        try {
            m = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return;
        }
        switch (m.path("type").asText()) {
            case "welcome" -> {
                welcomed = true;
                attempts = 0;
                long heartbeat = Math.max(100, m.path("heartbeat_interval").asLong(30) * 1000);
                // a random phase, as in a real fleet: terminals that connected together do not push together
                timers[0] = periodic(
                        heartbeat, () -> send(Json.MAPPER.createObjectNode().put("type", "ping")));
                timers[1] = periodic(statusInterval.toMillis(), () -> send(device.statusMessage()));
                timers[2] = periodic(logInterval.toMillis(), () -> send(device.logMessage()));
            }
            case "command" -> send(device.answer(m));
            default -> {}
        }
    }

    private long periodic(long every, Runnable task) {
        return vertx.setPeriodic(1 + random.nextLong(every), every, t -> task.run());
    }

    private void send(ObjectNode message) {
        WebSocket ws = socket;
        if (ws != null && !ws.isClosed()) {
            ws.writeTextMessage(message.toString());
        }
    }

    private void cancelTimers() {
        for (int i = 0; i < timers.length; i++) {
            if (timers[i] >= 0) {
                vertx.cancelTimer(timers[i]);
                timers[i] = -1;
            }
        }
    }
}
