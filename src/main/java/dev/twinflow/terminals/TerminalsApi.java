package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/** The HTTP side of terminal sync: what is cached in Redis, and commands that wait for their answer. */
@Component("terminalsApi")
public class TerminalsApi {

    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    private final TerminalsProperties properties;
    private final TerminalSessions sessions;
    private final TerminalCache cache;
    private final Clock clock;

    TerminalsApi(TerminalsProperties properties, TerminalSessions sessions, TerminalCache cache, Clock clock) {
        this.properties = properties;
        this.sessions = sessions;
        this.cache = cache;
        this.clock = clock;
    }

    /** {@code GET /terminals}: every terminal ever seen, sorted by id. */
    public byte[] list() {
        Map<Object, Object> all = cache.allPresence();
        Map<String, JsonNode> sorted = new TreeMap<>();
        all.forEach((id, json) -> sorted.put((String) id, view(parse((String) json))));
        ArrayNode list = Json.MAPPER.createArrayNode();
        sorted.values().forEach(list::add);
        return Json.bytes(list);
    }

    /**
     * A presence record as shown: "online" also requires a recent heartbeat, so a terminal of an
     * instance that died without saying so shows offline once its heartbeat timeout has passed.
     */
    private ObjectNode view(JsonNode p) {
        Instant lastSeen = Instant.parse(p.path("last_seen").asText(Instant.EPOCH.toString()));
        boolean fresh = Duration.between(lastSeen, clock.instant()).compareTo(properties.heartbeatTimeout()) <= 0;
        ObjectNode v = Json.MAPPER
                .createObjectNode()
                .put("terminal_id", p.path("terminal_id").asText());
        v.put("online", p.path("online").asBoolean() && fresh).put("last_seen", lastSeen.toString());
        v.set("connected_since", p.path("online").asBoolean() && fresh ? p.get("connected_since") : null);
        return v.put("node", p.path("node").asText());
    }

    public byte[] terminal(String id) {
        return Json.bytes(view(presenceOf(id)));
    }

    /** {@code GET /terminals/{id}/config/}: the cached config, else the durable copy (marked so). */
    public byte[] config(String id) {
        presenceOf(id);
        String cached = cache.cached(id, "config");
        ObjectNode answer = Json.MAPPER.createObjectNode().put("terminal_id", id);
        if (cached != null) {
            answer.put("source", "cache").set("config", parse(cached));
            return Json.bytes(answer);
        }
        String durable = cache.durableConfig(id);
        if (durable == null) {
            throw new ApiException(404, "config_not_synced", "terminal '" + id + "' has not sent its config yet");
        }
        JsonNode d = parse(durable);
        answer.put("source", "durable").put("updated_at", d.path("updated_at").asText());
        answer.set("config", d.get("config"));
        return Json.bytes(answer);
    }

    /** {@code GET /terminals/{id}/status/}. */
    public byte[] status(String id) {
        presenceOf(id);
        String cached = cache.cached(id, "status");
        if (cached == null) {
            throw new ApiException(
                    404,
                    "status_not_cached",
                    "no status of terminal '" + id + "' in the last "
                            + properties.statusTtl().toSeconds() + " s");
        }
        ObjectNode answer = Json.MAPPER.createObjectNode().put("terminal_id", id);
        answer.set("status", parse(cached));
        return Json.bytes(answer);
    }

    /** {@code GET /terminals/{id}/logs/?count=&level=}: the newest {@code count} entries, oldest first. */
    public byte[] logs(String id, String count, String level) {
        presenceOf(id);
        int n = count == null || count.isBlank() ? 100 : parseCount(count);
        List<String> all = cache.logs(id);
        String wanted = level == null || level.isBlank() ? null : level.toUpperCase(Locale.ROOT);
        ArrayNode logs = Json.MAPPER.createArrayNode();
        for (int i = all.size() - 1; i >= 0 && logs.size() < n; i--) {
            JsonNode entry = parse(all.get(i));
            if (wanted == null || wanted.equals(entry.path("level").asText())) {
                logs.insert(0, entry);
            }
        }
        ObjectNode answer =
                Json.MAPPER.createObjectNode().put("terminal_id", id).put("count", logs.size());
        answer.set("logs", logs);
        return Json.bytes(answer);
    }

    private static int parseCount(String count) {
        try {
            int n = Integer.parseInt(count.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("invalid_count", "count must be a positive integer, got '" + count + "'");
    }

    /** {@code GET /terminals/{id}/config/changes}: newest first. */
    public byte[] configChanges(String id) {
        presenceOf(id);
        ArrayNode list = Json.MAPPER.createArrayNode();
        cache.configChanges(id).forEach(c -> list.add(parse(c)));
        return Json.bytes(list);
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
        JsonNode old =
                before == null ? Json.MAPPER.createObjectNode() : parse(before).path("config");
        changes.fieldNames().forEachRemaining(f -> previous.set(f, old.has(f) ? old.get(f) : null));
        audit.put("success", answer.path("success").asBoolean(false)).set("error", answer.get("error"));
        cache.configChange(id, audit.toString());
        return Json.bytes(answer);
    }

    private ObjectNode run(String id, String command, ObjectNode params, Duration timeout) {
        if (!TerminalAuth.ID.matcher(id).matches()) {
            throw new ApiException(404, "unknown_terminal", "no terminal '" + id + "'");
        }
        Session session = sessions.session(id);
        if (session == null) {
            throw new ApiException(409, "terminal_offline", offlineDetail(id));
        }
        PendingCommands.Pending p = sessions.commands().send(session, command, params, timeout);
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
        String p;
        try {
            p = cache.presenceOf(id);
        } catch (DataAccessException e) {
            p = null;
        }
        if (p == null) {
            return "terminal '" + id + "' has never connected";
        }
        JsonNode view = view(parse(p));
        return view.path("online").asBoolean()
                ? "terminal '" + id + "' is connected to node '"
                        + view.path("node").asText() + "', not this one"
                : "terminal '" + id + "' is offline since "
                        + view.path("last_seen").asText();
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

    private JsonNode presenceOf(String id) {
        String p = TerminalAuth.ID.matcher(id).matches() ? cache.presenceOf(id) : null;
        if (p == null) {
            throw new ApiException(404, "unknown_terminal", "no terminal '" + id + "' has ever connected");
        }
        return parse(p);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
