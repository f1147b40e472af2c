package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A hand-driven terminal on the JDK's WebSocket client: the test decides what it says and answers. */
final class WsTerminal implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** How the server closed the connection. */
    record Close(int code, String reason) {}

    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final WebSocket socket;

    WsTerminal(int port) throws Exception {
        socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/terminals"), new Listener())
                .get(10, TimeUnit.SECONDS);
    }

    /** Connects and says hello; returns once welcomed. */
    static WsTerminal hello(int port, String id, String token) throws Exception {
        WsTerminal t = new WsTerminal(port);
        t.send(JSON.createObjectNode()
                .put("type", "hello")
                .put("terminal_id", id)
                .put("token", token));
        JsonNode welcome = t.next("welcome");
        if (!id.equals(welcome.path("terminal_id").asText())) {
            throw new AssertionError("welcome for another terminal: " + welcome);
        }
        return t;
    }

    void send(JsonNode message) {
        sendText(message.toString());
    }

    void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** The next message of this type (messages of other types before it are dropped). */
    JsonNode next(String type) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            JsonNode m = received.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && type.equals(m.path("type").asText())) {
                return m;
            }
        }
        throw new AssertionError("no '" + type + "' message within 10 s");
    }

    /** Answers the next command with this result. */
    JsonNode answer(String command, JsonNode result) throws InterruptedException {
        JsonNode c = next("command");
        if (!command.equals(c.path("command").asText())) {
            throw new AssertionError("expected command " + command + ", got " + c);
        }
        ObjectNode r = JSON.createObjectNode().put("type", "command_response");
        r.set("id", c.get("id"));
        r.put("command", command).put("success", true).set("result", result);
        send(r);
        return c;
    }

    /** Answers the three pulls that follow a hello. */
    void answerPulls(JsonNode status, JsonNode config, JsonNode logs) throws InterruptedException {
        answer("get_status", status);
        answer("get_config", config);
        answer("get_logs", logs);
    }

    Close closeCode() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(text.toString()));
                } catch (Exception e) {
                    received.add(JSON.createObjectNode().put("type", "not-json").put("text", text.toString()));
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.complete(new Close(code, reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(new Close(-1, error.toString()));
        }
    }
}
