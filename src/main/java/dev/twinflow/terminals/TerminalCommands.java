package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/** The HTTP writes of terminal sync: commands that wait for the terminal's answer, and audited config changes. */
@Component("terminalCommands")
public class TerminalCommands {

    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    private final TerminalsProperties properties;
    private final Presence presence;
    private final PendingCommands commands;
    private final TerminalCache cache;
    private final Clock clock;

    TerminalCommands(
            TerminalsProperties properties,
            Presence presence,
            PendingCommands commands,
            TerminalCache cache,
            Clock clock) {
        this.properties = properties;
        this.presence = presence;
        this.commands = commands;
        this.cache = cache;
        this.clock = clock;
    }

    /** {@code POST /terminals/{id}/commands} {command, params[, timeout_ms]}: the terminal's answer. */
    public byte[] command(String id, String body) {
        ObjectNode request = Json.parseObject(body);
        JsonNode command = request.path("command");
        if (!command.isTextual() || command.asText().isBlank()) {
            throw ApiException.unprocessable("invalid_command", "'command' must be a non-empty string");
        }
        return Json.bytes(run(id, command.asText(), params(request), timeout(request)));
    }

    /**
     * {@code PUT /terminals/{id}/config}: sends {@code set_config} with the given keys, waits for the
     * answer and records who changed what (whether the terminal accepted it or not).
     */
    public byte[] setConfig(String id, String body, String user) {
        ObjectNode changes = Json.parseObject(body);
        ObjectNode params = Json.MAPPER.createObjectNode();
        params.set("config", changes);
        String before = cache.durableConfig(id);
        ObjectNode answer = run(id, "set_config", params, properties.commandTimeout());
        ObjectNode audit =
                Json.MAPPER.createObjectNode().put("ts", clock.instant().toString());
        audit.put("terminal_id", id).put("changed_by", user == null || user.isBlank() ? "anonymous" : user);
        audit.set("changes", changes);
        ObjectNode previous = audit.putObject("previous");
        JsonNode old = before == null
                ? Json.MAPPER.createObjectNode()
                : CachedJson.parse(before).path("config");
        changes.fieldNames().forEachRemaining(f -> previous.set(f, old.has(f) ? old.get(f) : null));
        audit.put("success", answer.path("success").asBoolean(false)).set("error", answer.get("error"));
        cache.configChange(id, audit.toString());
        return Json.bytes(answer);
    }

    private ObjectNode run(String id, String command, ObjectNode params, Duration timeout) {
        if (!TerminalAuth.ID.matcher(id).matches()) {
            throw new ApiException(404, "unknown_terminal", "no terminal '" + id + "'");
        }
        Session session = presence.session(id);
        if (session == null) {
            throw new ApiException(409, "terminal_offline", offlineDetail(id));
        }
        PendingCommands.Pending p = commands.send(session, command, params, timeout);
        try {
            ObjectNode response = p.answer().get();
            ObjectNode answer = Json.MAPPER.createObjectNode().put("terminal_id", id);
            answer.set("id", response.get("id"));
            answer.put("command", command)
                    .put("success", response.path("success").asBoolean(false));
            answer.set("result", response.get("result"));
            answer.set("error", response.get("error"));
            return answer;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new ApiException(
                        504,
                        "command_timeout",
                        "terminal '" + id + "' did not answer '" + command + "' within " + timeout.toMillis() + " ms");
            }
            throw new ApiException(409, "terminal_offline", e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String offlineDetail(String id) {
        String json;
        try {
            json = cache.presenceOf(id);
        } catch (DataAccessException e) {
            json = null;
        }
        if (json == null) {
            return "terminal '" + id + "' has never connected";
        }
        PresenceRecord p = PresenceRecord.parse(json);
        return p.onlineAt(clock.instant(), properties.heartbeatTimeout())
                ? "terminal '" + id + "' is connected to node '" + p.node() + "', not this one"
                : "terminal '" + id + "' is offline since " + p.lastSeen();
    }

    private static ObjectNode params(ObjectNode request) {
        JsonNode params = request.get("params");
        if (params == null || params.isNull()) {
            return null;
        }
        if (!params.isObject()) {
            throw ApiException.unprocessable("invalid_params", "'params' must be a JSON object");
        }
        return (ObjectNode) params;
    }

    private Duration timeout(ObjectNode request) {
        JsonNode t = request.get("timeout_ms");
        if (t == null || t.isNull()) {
            return properties.commandTimeout();
        }
        if (!t.canConvertToLong() || t.asLong() < 1 || t.asLong() > MAX_TIMEOUT.toMillis()) {
            throw ApiException.unprocessable("invalid_timeout", "'timeout_ms' must be between 1 and 60000");
        }
        return Duration.ofMillis(t.asLong());
    }
}
