package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import io.vertx.core.http.ServerWebSocket;
import java.time.Instant;

/** One WebSocket connection; it becomes a terminal's session once its {@code hello} is accepted. */
final class Session {

    /** RFC 6455 1008: policy violation, used for failed authentication. */
    static final int REFUSED = 1008;
    /** Application close codes (4000-4999). */
    static final int HEARTBEAT_MISSED = 4000;

    static final int REPLACED = 4001;

    final String connectionKey;
    final String remote;
    final Instant openedAt;
    private final ServerWebSocket socket;
    private volatile String terminalId;
    private volatile Instant connectedSince;
    private volatile long lastSeenMillis;

    Session(String connectionKey, ServerWebSocket socket, Instant now) {
        this.connectionKey = connectionKey;
        this.socket = socket;
        this.remote = String.valueOf(socket.remoteAddress());
        this.openedAt = now;
        this.lastSeenMillis = now.toEpochMilli();
    }

    String terminalId() {
        return terminalId;
    }

    Instant connectedSince() {
        return connectedSince;
    }

    void authenticated(String id, Instant now) {
        this.connectedSince = now;
        this.terminalId = id;
    }

    void seen(Instant now) {
        lastSeenMillis = now.toEpochMilli();
    }

    Instant lastSeen() {
        return Instant.ofEpochMilli(lastSeenMillis);
    }

    /** Vert.x hands the write to the connection's event loop: safe from any thread, in call order. */
    void send(ObjectNode message) {
        if (!socket.isClosed()) {
            socket.writeTextMessage(new String(Json.bytes(message), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Closes with a code and a reason the terminal can read (RFC 6455 limits it to 123 bytes). */
    void close(int code, String reason) {
        if (!socket.isClosed()) {
            socket.close((short) code, reason.length() > 120 ? reason.substring(0, 120) : reason);
        }
    }
}
