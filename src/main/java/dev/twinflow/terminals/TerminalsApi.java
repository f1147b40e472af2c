package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** The HTTP reads of terminal sync: presence, config, status and logs as cached in Redis. */
@Component("terminalsApi")
public class TerminalsApi {

    private final TerminalsProperties properties;
    private final TerminalCache cache;
    private final Clock clock;

    TerminalsApi(TerminalsProperties properties, TerminalCache cache, Clock clock) {
        this.properties = properties;
        this.cache = cache;
        this.clock = clock;
    }

    /** {@code GET /terminals}: every terminal ever seen, sorted by id. */
    public byte[] list() {
        Map<Object, Object> all = cache.allPresence();
        Map<String, JsonNode> sorted = new TreeMap<>();
        all.forEach((id, json) -> sorted.put((String) id, view(PresenceRecord.parse((String) json))));
        ArrayNode list = Json.MAPPER.createArrayNode();
        sorted.values().forEach(list::add);
        return Json.bytes(list);
    }

    public byte[] terminal(String id) {
        return Json.bytes(view(presenceOf(id)));
    }

    private ObjectNode view(PresenceRecord p) {
        return p.view(clock.instant(), properties.heartbeatTimeout());
    }

    /** {@code GET /terminals/{id}/config/}: the cached config, else the durable copy (marked so). */
    public byte[] config(String id) {
        presenceOf(id);
        String cached = cache.cached(id, "config");
        ObjectNode answer = Json.MAPPER.createObjectNode().put("terminal_id", id);
        if (cached != null) {
            answer.put("source", "cache").set("config", CachedJson.parse(cached));
            return Json.bytes(answer);
        }
        String durable = cache.durableConfig(id);
        if (durable == null) {
            throw new ApiException(404, "config_not_synced", "terminal '" + id + "' has not sent its config yet");
        }
        JsonNode d = CachedJson.parse(durable);
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
        answer.set("status", CachedJson.parse(cached));
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
            JsonNode entry = CachedJson.parse(all.get(i));
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
        cache.configChanges(id).forEach(c -> list.add(CachedJson.parse(c)));
        return Json.bytes(list);
    }

    private PresenceRecord presenceOf(String id) {
        String p = TerminalAuth.ID.matcher(id).matches() ? cache.presenceOf(id) : null;
        if (p == null) {
            throw new ApiException(404, "unknown_terminal", "no terminal '" + id + "' has ever connected");
        }
        return PresenceRecord.parse(p);
    }
}
