package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Random;

/**
 * What a simulated terminal knows and answers, apart from its connection: config, status, its last log lines.
 *
 * <p>Not thread-safe: its terminal calls it from its one Vert.x context only.
 */
final class SimulatedDevice {

    static final int LOG_RING = 1000;

    private static final String[] SOURCES = {"detector", "uploader", "system", "camera"};

    private final String id;
    private final Random random;
    private final ObjectNode config;
    private final ArrayDeque<ObjectNode> logs = new ArrayDeque<>();
    private final long bootedAt = System.currentTimeMillis();
    private long detections;

    SimulatedDevice(String id, Random random) {
        this.id = id;
        this.random = random;
        this.config = Json.MAPPER.createObjectNode().put("terminal_id", id).put("mode", "detect");
        config.put("sample_rate_hz", 10).put("threshold", 0.8).put("firmware", "1.4.2");
        config.put("upload_interval_s", 10);
        log("INFO", "terminal " + id + " booted", "system");
    }

    /** The {@code command_response} to a {@code command} message. */
    ObjectNode answer(JsonNode m) {
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
        return r;
    }

    /** A {@code status} message to push. */
    ObjectNode statusMessage() {
        ObjectNode m = Json.MAPPER.createObjectNode().put("type", "status");
        m.set("data", status());
        return m;
    }

    /** A {@code log} message to push: a detection cycle mostly, now and then a warning or an error. */
    ObjectNode logMessage() {
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
        return entry.deepCopy().put("type", "log");
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

    private ObjectNode log(String level, String message, String source) {
        ObjectNode entry = Json.MAPPER.createObjectNode().put("level", level).put("message", message);
        entry.put("source", source).put("ts", System.currentTimeMillis());
        logs.addLast(entry);
        if (logs.size() > LOG_RING) {
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

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
