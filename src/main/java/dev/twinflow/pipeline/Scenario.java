package dev.twinflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.time.Duration;

/**
 * A simulation declared in YAML: which entities exist, how fast they emit and what can go wrong.
 *
 * <pre>
 * name: factory-floor
 * seed: 42                    # same seed, same records
 * rate: 1000                  # records/s; 0 = as fast as Kafka takes them
 * burst: {every: 30s, length: 3s, factor: 5}   # optional: rate x factor for length, every period
 * limit: 0                    # stop after this many records; 0 = run until stopped
 * devices: 20                 # each with sensors-per-device sensors
 * sensors-per-device: 4
 * users: 100
 * mix: {sensor: 70, transaction: 15, event: 15}  # weights; a user record precedes a user's first use
 * anomaly-probability: 0.01   # per sensor reading: spike, stuck value or dropout
 * clock: 1795000000000        # optional: fixed start (epoch ms) so timestamps repeat exactly too
 * </pre>
 *
 * <p>{@link ScenarioParser} reads and checks it.
 */
record Scenario(
        String name,
        long seed,
        double rate,
        Burst burst,
        long limit,
        int devices,
        int sensorsPerDevice,
        int users,
        Mix mix,
        double anomalyProbability,
        Long clock) {

    /** Rate x {@code factor} during {@code length} at the start of every {@code every}. */
    record Burst(Duration every, Duration length, double factor) {}

    /** Relative weights of the record kinds. */
    record Mix(int sensor, int transaction, int event) {
        int total() {
            return sensor + transaction + event;
        }
    }

    /** The definition in the YAML's own field names. */
    ObjectNode toJson() {
        ObjectNode node = Json.MAPPER
                .createObjectNode()
                .put("name", name)
                .put("seed", seed)
                .put("rate", rate);
        if (burst == null) {
            node.putNull("burst");
        } else {
            node.putObject("burst")
                    .put("every", burst.every().toMillis() + "ms")
                    .put("length", burst.length().toMillis() + "ms")
                    .put("factor", burst.factor());
        }
        node.put("limit", limit)
                .put("devices", devices)
                .put("sensors-per-device", sensorsPerDevice)
                .put("users", users);
        node.putObject("mix")
                .put("sensor", mix.sensor())
                .put("transaction", mix.transaction())
                .put("event", mix.event());
        node.put("anomaly-probability", anomalyProbability).put("clock", clock);
        return node;
    }

    /** A copy with REST overrides of rate, limit and seed applied and checked. */
    Scenario with(JsonNode overrides) {
        return ScenarioParser.withOverrides(this, overrides);
    }
}
