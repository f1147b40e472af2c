package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Random;

/**
 * A digital twin of a detecting end (seed 003): connects, says {@code hello}, answers commands from
 * its own config, status and log ring, pushes logs and status on a schedule, pings, and reconnects
 * with exponential back-off. Everything runs on its Vert.x context, so its state needs no locks.
 */
public final class SimulatedTerminal {

    private static final String[] SOURCES = {"detector", "uploader", "system", "camera"};

    private final Vertx vertx;
    private final Context context;
    private final WebSocketClient client;
    private final WebSocketConnectOptions target;
    private final String id;
    private final String token;
    private final Duration statusInterval;
    private final Duration logInterval;
    private final Random random;
    private final ObjectNode config;
    private final ArrayDeque<ObjectNode> logs = new ArrayDeque<>();
    private final long bootedAt = System.currentTimeMillis();
    private volatile WebSocket socket;
    private volatile boolean stopped;
    private volatile boolean welcomed;
    private volatile String lastClose;
    private int attempts;
    private long detections;
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
        this.config = Json.MAPPER.createObjectNode().put("terminal_id", id).put("mode", "detect");
        config.put("sample_rate_hz", 10).put("threshold", 0.8).put("firmware", "1.4.2");
        config.put("upload_interval_s", 10);
        log("INFO", "terminal " + id + " booted", "system");
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
                timers[1] = periodic(statusInterval.toMillis(), this::pushStatus);
                timers[2] = periodic(logInterval.toMillis(), this::pushLog);
            }
            case "command" -> answer(m);
            default -> {}
        }
    }

    private long periodic(long every, Runnable task) {
        return vertx.setPeriodic(1 + random.nextLong(every), every, t -> task.run());
    }

    private void answer(JsonNode m) {
        String command = m.path("command").asText();
        JsonNode params = m.path("params");
        ObjectNode r = Json.MAPPER.createObjectNode().put("type", "command_response");
        r.set("id", m.get("id"));
        r.put("command", command).put("success", true);
        switch (command) {
            case "get_status" -> r.set("result", status());
            case "get_config" -> r.set("result", config.deepCopy());
            case "get_logs" -> r.set("result", lastLogs(params.path("count").asInt(100)));
            case "set_config" -> {
                if (params.path("config").isObject()) {
                    config.setAll((ObjectNode) params.get("config"));
                    config.put("terminal_id", id);
                    log("INFO", "config changed: " + params.get("config"), "system");
                    r.set("result", config.deepCopy());
                } else {
                    r.put("success", false).put("error", "set_config needs an object 'config'");
                }
            }
            case "restart" -> {
                log("WARN", "restart requested", "system");
                r.set("result", Json.MAPPER.createObjectNode().put("restarting", true));
            }
            default -> r.put("success", false).put("error", "unknown command '" + command + "'");
        }
        send(r);
    }

    private ObjectNode status() {
        ObjectNode s = Json.MAPPER.createObjectNode().put("terminal_id", id);
        s.put("cpu_percent", round(20 + random.nextDouble() * 50));
        s.put("memory_percent", round(40 + random.nextDouble() * 30));
        s.put("disk_percent", round(55 + random.nextDouble() * 5));
        s.put("temperature_c", round(45 + random.nextDouble() * 15));
        s.put("uptime_s", (System.currentTimeMillis() - bootedAt) / 1000);
        s.put("detections", detections);
        return s.put("mode", config.path("mode").asText());
    }

    private void pushStatus() {
        ObjectNode m = Json.MAPPER.createObjectNode().put("type", "status");
        m.set("data", status());
        send(m);
    }

    private void pushLog() {
        detections += random.nextInt(5);
        int roll = random.nextInt(100);
        String level = roll < 80 ? "INFO" : roll < 95 ? "WARN" : "ERROR";
        String source = SOURCES[random.nextInt(SOURCES.length)];
        ObjectNode entry = log(
                level,
                switch (level) {
                    case "INFO" -> "detection cycle " + detections + " done in " + (20 + random.nextInt(40)) + " ms";
                    case "WARN" -> "frame queue at " + (70 + random.nextInt(25)) + "%";
                    default -> "upload failed, will retry";
                },
                source);
        ObjectNode m = entry.deepCopy().put("type", "log");
        send(m);
    }

    private ObjectNode log(String level, String message, String source) {
        ObjectNode entry = Json.MAPPER.createObjectNode().put("level", level).put("message", message);
        entry.put("source", source).put("ts", System.currentTimeMillis());
        logs.addLast(entry);
        if (logs.size() > 1000) {
            logs.removeFirst();
        }
        return entry;
    }

    private ArrayNode lastLogs(int count) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        Iterator<ObjectNode> newestFirst = logs.descendingIterator();
        while (newestFirst.hasNext() && list.size() < count) {
            list.insert(0, newestFirst.next());
        }
        return list;
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

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
