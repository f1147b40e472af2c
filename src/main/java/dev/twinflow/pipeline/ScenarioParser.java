package dev.twinflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.twinflow.generate.SensorKind;
import dev.twinflow.system.ApiException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@link Scenario} from YAML (or JSON) and checks every field, so that a bad definition or
 * start override is refused with a 400 naming the field instead of failing a run later.
 *
 * <p>Over 200 lines: every field's check shares the typed readers at the bottom, which name the field in
 * the error; split, both halves would need them.
 */
final class ScenarioParser {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Set<String> FIELDS = Set.of(
            "name",
            "seed",
            "rate",
            "burst",
            "limit",
            "devices",
            "sensors-per-device",
            "users",
            "mix",
            "anomaly-probability",
            "clock");

    private ScenarioParser() {}

    /**
     * Parses and checks a scenario.
     *
     * @throws ApiException 400 {@code invalid_scenario} naming the offending field
     */
    static Scenario parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (Exception e) {
            throw invalid(
                    "(document)",
                    "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw invalid("(document)", "must be a mapping of scenario fields");
        }
        return fromNode((ObjectNode) root);
    }

    private static Scenario fromNode(ObjectNode node) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw invalid(field, "unknown field; known: " + String.join(", ", FIELDS));
            }
        }
        String name = text(node, "name", null);
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid("name", "required: lower-case letters, digits and '-', at most 63 characters");
        }
        long seed = integer(node, "seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        double rate = number(node, "rate", 100, 0, 10_000_000);
        long limit = integer(node, "limit", 0, 0, Long.MAX_VALUE);
        int devices = (int) integer(node, "devices", 10, 0, 100_000);
        int sensors = (int) integer(node, "sensors-per-device", 3, 1, SensorKind.ALL.length);
        int users = (int) integer(node, "users", 50, 0, 1_000_000);
        double anomaly = number(node, "anomaly-probability", 0.01, 0, 1);
        Long clock = node.hasNonNull("clock") ? integer(node, "clock", 0, 0, Long.MAX_VALUE) : null;
        Scenario.Mix mix = mix(node.get("mix"), devices, users);
        Scenario.Burst burst = burst(node.get("burst"));
        return new Scenario(name, seed, rate, burst, limit, devices, sensors, users, mix, anomaly, clock);
    }

    private static Scenario.Mix mix(JsonNode node, int devices, int users) {
        if (node == null || node.isNull()) {
            return new Scenario.Mix(devices > 0 ? 70 : 0, users > 0 ? 15 : 0, users > 0 ? 15 : 0);
        }
        if (!node.isObject()) {
            throw invalid("mix", "must be a mapping like {sensor: 70, transaction: 15, event: 15}");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String kind = it.next();
            if (!Set.of("sensor", "transaction", "event").contains(kind)) {
                throw invalid("mix." + kind, "unknown record kind; known: sensor, transaction, event");
            }
        }
        Scenario.Mix mix = new Scenario.Mix(
                (int) integer(node, "sensor", 0, 0, 1_000_000, "mix."),
                (int) integer(node, "transaction", 0, 0, 1_000_000, "mix."),
                (int) integer(node, "event", 0, 0, 1_000_000, "mix."));
        if (mix.total() == 0) {
            throw invalid("mix", "at least one weight must be above 0");
        }
        if (mix.sensor() > 0 && devices == 0) {
            throw invalid("mix.sensor", "sensor records need devices > 0");
        }
        if (mix.transaction() + mix.event() > 0 && users == 0) {
            throw invalid("mix", "transaction and event records need users > 0");
        }
        return mix;
    }

    private static Scenario.Burst burst(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw invalid("burst", "must be a mapping like {every: 30s, length: 3s, factor: 5}");
        }
        Duration every = duration(node, "every");
        Duration length = duration(node, "length");
        if (length.compareTo(every) >= 0) {
            throw invalid("burst.length", "must be shorter than burst.every");
        }
        double factor = number(node, "factor", 5, 1, 1000, "burst.");
        return new Scenario.Burst(every, length, factor);
    }

    private static Duration duration(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual()) {
            throw invalid("burst." + field, "required, a duration like 500ms, 3s or 1m");
        }
        String text = node.asText().trim();
        try {
            Duration d;
            if (text.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            } else {
                d = Duration.parse(text);
            }
            if (d.isNegative() || d.isZero()) {
                throw invalid("burst." + field, "must be positive, got " + text);
            }
            return d;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw invalid("burst." + field, "a duration like 500ms, 3s or 1m, got '" + text + "'");
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw invalid(field, "must be text, got " + v);
        }
        return v.asText();
    }

    private static long integer(JsonNode node, String field, long fallback, long min, long max) {
        return integer(node, field, fallback, min, max, "");
    }

    private static long integer(JsonNode node, String field, long fallback, long min, long max, String prefix) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw invalid(prefix + field, "must be a whole number, got " + v);
        }
        long n = v.asLong();
        if (n < min || n > max) {
            throw invalid(prefix + field, "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    private static double number(JsonNode node, String field, double fallback, double min, double max) {
        return number(node, field, fallback, min, max, "");
    }

    private static double number(JsonNode node, String field, double fallback, double min, double max, String prefix) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw invalid(prefix + field, "must be a number, got " + v);
        }
        double n = v.asDouble();
        if (!(n >= min && n <= max)) {
            throw invalid(prefix + field, "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    static ApiException invalid(String field, String detail) {
        return new ApiException(400, "invalid_scenario", "field '" + field + "': " + detail);
    }

    /** A copy of {@code s} with REST overrides of rate, limit and seed applied and checked. */
    static Scenario withOverrides(Scenario s, JsonNode overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return s;
        }
        for (Iterator<String> it = overrides.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!Set.of("rate", "limit", "seed").contains(field)) {
                throw invalid(field, "cannot be overridden at start; only rate, limit and seed");
            }
        }
        return new Scenario(
                s.name(),
                integer(overrides, "seed", s.seed(), Long.MIN_VALUE, Long.MAX_VALUE),
                number(overrides, "rate", s.rate(), 0, 10_000_000),
                s.burst(),
                integer(overrides, "limit", s.limit(), 0, Long.MAX_VALUE),
                s.devices(),
                s.sensorsPerDevice(),
                s.users(),
                s.mix(),
                s.anomalyProbability(),
                s.clock());
    }
}
