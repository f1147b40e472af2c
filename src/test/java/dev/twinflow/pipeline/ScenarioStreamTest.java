package dev.twinflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.system.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenarioStreamTest {

    private static final Scenario PLANT = ScenarioParser.parse(
            """
            name: plant
            seed: 42
            rate: 100
            devices: 5
            sensors-per-device: 3
            users: 20
            mix: {sensor: 60, transaction: 20, event: 20}
            anomaly-probability: 0.05
            clock: 1795000000000
            """);

    private static List<JsonNode> take(Scenario scenario, int n) throws Exception {
        ScenarioStream stream = new ScenarioStream(scenario, "run-1", () -> {
            throw new AssertionError("a fixed clock must not read the wall clock");
        });
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ScenarioStream.Generated g = stream.next();
            JsonNode node = Json.MAPPER.readTree(g.json());
            assertThat(node.get("source").asText()).isEqualTo(g.source());
            assertThat(node.get("seq").asLong()).isEqualTo(g.seq());
            out.add(node);
        }
        return out;
    }

    @Test
    void sameScenarioAndSeedGiveIdenticalRecords() {
        ScenarioStream a = new ScenarioStream(PLANT, "run-1", () -> 0);
        ScenarioStream b = new ScenarioStream(PLANT, "run-1", () -> 0);
        for (int i = 0; i < 5000; i++) {
            assertThat(a.next().json()).isEqualTo(b.next().json());
        }
    }

    @Test
    void anotherSeedGivesOtherRecords() {
        ScenarioStream a = new ScenarioStream(PLANT, "run-1", () -> 0);
        Scenario other = PLANT.with(Json.parseObject("{\"seed\":43}".getBytes()));
        ScenarioStream b = new ScenarioStream(other, "run-1", () -> 0);
        int same = 0;
        for (int i = 0; i < 100; i++) {
            if (java.util.Arrays.equals(a.next().json(), b.next().json())) {
                same++;
            }
        }
        assertThat(same).isLessThan(100);
    }

    @Test
    void everySourceCountsItsSeqFromOneWithoutHoles() throws Exception {
        Map<String, Long> last = new HashMap<>();
        for (JsonNode r : take(PLANT, 5000)) {
            long expected = last.getOrDefault(r.get("source").asText(), 0L) + 1;
            assertThat(r.get("seq").asLong()).isEqualTo(expected);
            last.put(r.get("source").asText(), expected);
            assertThat(r.get("run").asText()).isEqualTo("run-1");
        }
        assertThat(last).hasSizeGreaterThan(15 + 10);
    }

    @Test
    void transactionsAndEventsOnlyReferenceUsersAlreadyAnnounced() throws Exception {
        Set<String> announced = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        for (JsonNode r : take(PLANT, 5000)) {
            String kind = r.get("kind").asText();
            kinds.add(kind);
            if (kind.equals("user")) {
                assertThat(r.get("seq").asLong()).isEqualTo(1);
                announced.add(r.get("user_id").asText());
                assertThat(r.get("email").asText()).contains("@");
            } else if (kind.equals("transaction") || kind.equals("event")) {
                assertThat(announced).contains(r.get("user_id").asText());
                assertThat(r.get("source").asText()).isEqualTo(r.get("user_id").asText());
            }
            if (kind.equals("event")) {
                assertThat(r.get("action").asText()).isIn("click", "view", "purchase");
                assertThat(r.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                assertThat(r.get("page_url").asText()).startsWith("https://");
                assertThat(r.get("user_id").asText())
                        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder("sensor", "user", "transaction", "event");
    }

    @Test
    void sensorReadingsFollowASetpointAndLabelTheirAnomalies() throws Exception {
        Map<String, List<Double>> normal = new HashMap<>();
        Set<String> anomalies = new HashSet<>();
        for (JsonNode r : take(PLANT, 20000)) {
            if (!r.get("kind").asText().equals("sensor")) {
                continue;
            }
            assertThat(r.get("source").asText())
                    .isEqualTo(r.get("device_id").asText() + ":"
                            + r.get("sensor_type").asText());
            JsonNode anomaly = r.get("anomaly");
            if (anomaly.isNull()) {
                normal.computeIfAbsent(r.get("source").asText(), k -> new ArrayList<>())
                        .add(r.get("value").asDouble());
            } else {
                anomalies.add(anomaly.asText());
                if (anomaly.asText().equals("dropout")) {
                    assertThat(r.get("value").isNull()).isTrue();
                }
            }
        }
        assertThat(anomalies).containsExactlyInAnyOrder("spike", "stuck", "dropout");
        // a normal series stays near its own setpoint: its spread is far below the value itself
        for (List<Double> series : normal.values()) {
            double mean = series.stream().mapToDouble(d -> d).average().orElseThrow();
            double sd = Math.sqrt(series.stream()
                    .mapToDouble(d -> (d - mean) * (d - mean))
                    .average()
                    .orElseThrow());
            assertThat(sd).isLessThan(Math.abs(mean) + 5);
        }
    }

    @Test
    void fixedClockSpacesTimestampsByTheRate() {
        Scenario sensorsOnly = ScenarioParser.parse(
                "name: s\nrate: 100\ndevices: 2\nusers: 0\nmix: {sensor: 1}\nclock: 1795000000000");
        ScenarioStream stream = new ScenarioStream(sensorsOnly, "r", () -> 0);
        for (String expected : new String[] {"1795000000.000", "1795000000.010", "1795000000.020"}) {
            assertThat(new String(stream.next().json(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("\"timestamp\":" + expected + ",");
        }
    }
}
