package dev.twinflow.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the dashboard's snapshot from what the flows keep: packet counters, the message log, the
 * terminals' presence, the delivery audit and Camel's route statistics. A source that fails (Redis
 * down, say) turns only its own section into {@code {"error": "..."}}. Rates are differences between
 * consecutive snapshots, so one caller must take them in turn (the {@link DashboardEvents} producer).
 */
class DashboardSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardSnapshots.class);

    static final int TOP_DEVICES = 20;
    static final int TOP_ROUTES = 10;
    static final int TERMINALS_LISTED = 10;
    static final int RUNS_LISTED = 6;
    static final int MESSAGES_PER_SNAPSHOT = 5000;

    /** Where the snapshot reads from; each may throw. */
    record Sources(
            Supplier<Map<String, Long>> devicePackets,
            Supplier<Map<String, Long>> routeExchanges,
            Supplier<byte[]> terminals,
            Supplier<byte[]> audit,
            MessageTail.Pages messages) {}

    private final Sources sources;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Rates deviceRates = new Rates();
    private final Rates routeRates = new Rates();
    private final MessageTail messages;
    private final SensorSeries sensors = new SensorSeries();

    DashboardSnapshots(Sources sources, Clock clock, LongSupplier nanoTime) {
        this.sources = sources;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.messages = new MessageTail(sources.messages(), MESSAGES_PER_SNAPSHOT);
    }

    ObjectNode snapshot() {
        ObjectNode snapshot = Json.MAPPER.createObjectNode().put("at", clock.millis());
        snapshot.set("devices", section("devices", this::devices));
        snapshot.set("sensors", section("sensors", this::sensors));
        snapshot.set("terminals", section("terminals", this::terminals));
        snapshot.set("audit", section("audit", this::audit));
        snapshot.set("routes", section("routes", this::routes));
        return snapshot;
    }

    private static ObjectNode section(String name, Supplier<ObjectNode> part) {
        try {
            return part.get();
        } catch (RuntimeException e) {
            LOG.debug("dashboard section {} failed", name, e);
            String message = e.getMessage() == null ? "" : ": " + e.getMessage();
            return Json.MAPPER.createObjectNode().put("error", e.getClass().getSimpleName() + message);
        }
    }

    private ObjectNode devices() {
        Map<String, Long> counts = read(sources.devicePackets(), deviceRates);
        List<Rates.Rate> top = deviceRates.update(counts, nanoTime.getAsLong(), TOP_DEVICES);
        ObjectNode devices = Json.MAPPER
                .createObjectNode()
                .put("devices", counts.size())
                .put(
                        "packets",
                        counts.values().stream().mapToLong(Long::longValue).sum());
        ArrayNode rates = devices.putArray("rates");
        top.forEach(r -> rates.addObject()
                .put("device_id", r.key())
                .put("per_second", rounded(r.perSecond()))
                .put("count", r.total()));
        return devices;
    }

    private ObjectNode routes() {
        Map<String, Long> counts = read(sources.routeExchanges(), routeRates);
        List<Rates.Rate> top = routeRates.update(counts, nanoTime.getAsLong(), TOP_ROUTES);
        ObjectNode routes = Json.MAPPER.createObjectNode().put("routes", counts.size());
        ArrayNode rates = routes.putArray("rates");
        top.forEach(r -> rates.addObject()
                .put("route_id", r.key())
                .put("per_second", rounded(r.perSecond()))
                .put("completed", r.total()));
        return routes;
    }

    private static Map<String, Long> read(Supplier<Map<String, Long>> counters, Rates rates) {
        try {
            return counters.get();
        } catch (RuntimeException e) {
            rates.reset();
            throw e;
        }
    }

    private static Double rounded(Double perSecond) {
        return perSecond == null ? null : Math.round(perSecond * 10) / 10.0;
    }

    private ObjectNode sensors() {
        messages.poll().forEach(sensors::add);
        return sensors.toJson();
    }

    private ObjectNode terminals() {
        JsonNode all = parse(sources.terminals().get());
        List<JsonNode> sorted = new ArrayList<>();
        all.forEach(sorted::add);
        long online = sorted.stream().filter(t -> t.path("online").asBoolean()).count();
        sorted.sort(Comparator.comparing((JsonNode t) -> !t.path("online").asBoolean())
                .thenComparing(t -> t.path("terminal_id").asText()));
        ObjectNode terminals =
                Json.MAPPER.createObjectNode().put("online", online).put("offline", sorted.size() - online);
        ArrayNode list = terminals.putArray("terminals");
        sorted.stream().limit(TERMINALS_LISTED).forEach(t -> list.addObject()
                .put("terminal_id", t.path("terminal_id").asText())
                .put("online", t.path("online").asBoolean())
                .put("last_seen", t.path("last_seen").asText(null)));
        return terminals;
    }

    /** The runs seen most recently, with the audit's totals; the per-source detail stays in GET /audit. */
    private ObjectNode audit() {
        List<ObjectNode> runs = new ArrayList<>();
        for (JsonNode run : parse(sources.audit().get()).path("runs")) {
            BigDecimal lastSeen = null; // epoch seconds, as the audit gives them
            for (JsonNode source : run.path("sources")) {
                JsonNode seen = source.get("last_seen");
                if (seen != null
                        && seen.isNumber()
                        && (lastSeen == null || seen.decimalValue().compareTo(lastSeen) > 0)) {
                    lastSeen = seen.decimalValue();
                }
            }
            ObjectNode r =
                    Json.MAPPER.createObjectNode().put("run", run.path("run").asText());
            for (String field : List.of("sent", "received", "missing", "duplicates")) {
                r.put(field, run.path(field).asLong());
            }
            r.put("complete", run.path("complete").asBoolean())
                    .put("sources", run.path("sources").size())
                    .put("last_seen", lastSeen);
            runs.add(r);
        }
        runs.sort(
                Comparator.comparingDouble((ObjectNode r) -> r.path("last_seen").asDouble(0))
                        .reversed()
                        .thenComparing(r -> r.path("run").asText()));
        ObjectNode audit = Json.MAPPER.createObjectNode().put("runs_total", runs.size());
        audit.putArray("runs").addAll(runs.stream().limit(RUNS_LISTED).toList());
        return audit;
    }

    private static JsonNode parse(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
