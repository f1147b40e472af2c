package dev.twinflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;

class DashboardSnapshotsTest {

    final Map<String, Long> devicePackets = new HashMap<>();
    final Map<String, Long> routeExchanges = new HashMap<>();
    final MessageTailTest.Log messages = new MessageTailTest.Log();
    Supplier<Map<String, Long>> devices = () -> devicePackets;
    String terminals = "[]";
    String audit = "{\"runs\":[]}";
    final AtomicLong nanos = new AtomicLong();

    final DashboardSnapshots snapshots = new DashboardSnapshots(
            new DashboardSnapshots.Sources(
                    () -> devices.get(),
                    () -> routeExchanges,
                    () -> terminals.getBytes(StandardCharsets.UTF_8),
                    () -> audit.getBytes(StandardCharsets.UTF_8),
                    messages),
            Clock.fixed(Instant.ofEpochMilli(1_795_000_000_000L), ZoneOffset.UTC),
            nanos::get);

    JsonNode next(long atSeconds) {
        nanos.set(atSeconds * 1_000_000_000L);
        return snapshots.snapshot();
    }

    void reading(String source, Double value, String anomaly, double timestamp) {
        messages.records.add(String.format(
                java.util.Locale.ROOT,
                "{\"kind\":\"sensor\",\"run\":\"r\",\"source\":\"%s\",\"seq\":1,\"value\":%s,\"unit\":\"%%\","
                        + "\"timestamp\":%.3f,\"anomaly\":%s,\"received_at\":%d}",
                source,
                value,
                timestamp,
                anomaly == null ? "null" : "\"" + anomaly + "\"",
                messages.stamp++));
    }

    @Test
    void packetAndExchangeRatesAreDifferencesBetweenConsecutiveSnapshots() {
        devicePackets.put("sensor-1", 100L);
        routeExchanges.put("receive-message", 10L);
        JsonNode first = next(0);
        assertThat(first.at("/devices/rates/0/per_second").isNull()).isTrue();
        assertThat(first.at("/devices/packets").asLong()).isEqualTo(100);

        devicePackets.put("sensor-1", 350L);
        devicePackets.put("sensor-2", 20L);
        routeExchanges.put("receive-message", 40L);
        JsonNode second = next(2);

        assertThat(second.get("devices").toString())
                .isEqualTo("{\"devices\":2,\"packets\":370,\"rates\":["
                        + "{\"device_id\":\"sensor-1\",\"per_second\":125.0,\"count\":350},"
                        + "{\"device_id\":\"sensor-2\",\"per_second\":10.0,\"count\":20}]}");
        assertThat(second.get("routes").toString())
                .isEqualTo("{\"routes\":1,\"rates\":["
                        + "{\"route_id\":\"receive-message\",\"per_second\":15.0,\"completed\":40}]}");
        assertThat(second.get("at").asLong()).isEqualTo(1_795_000_000_000L);
    }

    @Test
    void aFailingSourceMarksOnlyItsOwnSection() {
        devices = () -> {
            throw new RedisConnectionFailureException("Unable to connect to Redis");
        };
        routeExchanges.put("receive-message", 1L);

        JsonNode snapshot = next(0);

        assertThat(snapshot.get("devices").toString())
                .isEqualTo("{\"error\":\"RedisConnectionFailureException: Unable to connect to Redis\"}");
        assertThat(snapshot.at("/routes/routes").asInt()).isEqualTo(1);
        assertThat(snapshot.at("/terminals/online").asInt()).isZero();
        assertThat(snapshot.at("/sensors/series").isArray()).isTrue();
        assertThat(snapshot.at("/audit/runs").isArray()).isTrue();
    }

    @Test
    void sensorReadingsFromTheMessageLogBecomeSeriesWithAnomaliesMarked() {
        reading("dev-0001:humidity", 40.5, null, 1795000000.100);
        reading("dev-0001:humidity", 90.0, "spike", 1795000000.200);
        reading("dev-0001:humidity", null, "dropout", 1795000000.300);
        messages.records.add("{\"kind\":\"event\",\"source\":\"u-1\",\"timestamp\":\"2026-11-12T00:00:00Z\"}");
        messages.records.add("{\"message\":\"a plain POST /receive body\"}");

        JsonNode series = next(0).at("/sensors/series");

        assertThat(series.toString())
                .isEqualTo("[{\"source\":\"dev-0001:humidity\",\"unit\":\"%\","
                        + "\"points\":[[1795000000100,40.5],[1795000000200,90.0],[1795000000300,null]],"
                        // the dropout has no value: marked where the line stopped
                        + "\"anomalies\":[[1795000000200,90.0,\"spike\"],[1795000000300,90.0,\"dropout\"]]}]");
    }

    @Test
    void showsAtMostSixSourcesOfTheLastHundredReadingsEachReadIncrementally() {
        for (int i = 0; i < 150; i++) {
            reading("dev-" + (i % 8) + ":temperature", (double) i, null, 1795000000 + i);
        }
        JsonNode first = next(0).at("/sensors/series");
        assertThat(first).hasSize(6);
        assertThat(first.get(0).get("source").asText()).isEqualTo("dev-0:temperature");
        assertThat(first.get(0).get("points")).hasSize(19); // 0, 8, ..., 144

        for (int i = 150; i < 1000; i++) {
            reading("dev-0:temperature", (double) i, null, 1795000000 + i);
        }
        JsonNode points = next(1).at("/sensors/series/0/points");
        assertThat(points).hasSize(100);
        assertThat(points.get(99).get(1).asDouble()).isEqualTo(999.0);
    }

    @Test
    void terminalsAreCountedAndListedOnlineFirst() {
        terminals = "[{\"terminal_id\":\"a\",\"online\":false,\"last_seen\":\"2026-01-01T00:00:00Z\"},"
                + "{\"terminal_id\":\"b\",\"online\":true,\"last_seen\":\"2026-01-01T00:00:05Z\"}]";

        JsonNode section = next(0).get("terminals");

        assertThat(section.toString())
                .isEqualTo("{\"online\":1,\"offline\":1,\"terminals\":["
                        + "{\"terminal_id\":\"b\",\"online\":true,\"last_seen\":\"2026-01-01T00:00:05Z\"},"
                        + "{\"terminal_id\":\"a\",\"online\":false,\"last_seen\":\"2026-01-01T00:00:00Z\"}]}");
    }

    @Test
    void auditShowsTheTotalsOfTheRunsSeenLast() {
        audit = "{\"runs\":["
                + "{\"run\":\"factory-floor-1\",\"sent\":10,\"received\":10,\"missing\":0,\"duplicates\":0,\"complete\":true,"
                + "\"sources\":[{\"source\":\"s\",\"last_seen\":1795000000.5,\"missing_ranges\":[]}]},"
                + "{\"run\":\"load-test-1\",\"sent\":5,\"received\":3,\"missing\":2,\"duplicates\":1,\"complete\":false,"
                + "\"sources\":[{\"source\":\"s\",\"last_seen\":1795000100.25},{\"source\":\"t\",\"last_seen\":null}]}]}";

        JsonNode section = next(0).get("audit");

        assertThat(section.toString())
                .isEqualTo("{\"runs_total\":2,\"runs\":["
                        + "{\"run\":\"load-test-1\",\"sent\":5,\"received\":3,\"missing\":2,\"duplicates\":1,"
                        + "\"complete\":false,\"sources\":2,\"last_seen\":1795000100.25},"
                        + "{\"run\":\"factory-floor-1\",\"sent\":10,\"received\":10,\"missing\":0,\"duplicates\":0,"
                        + "\"complete\":true,\"sources\":1,\"last_seen\":1795000000.5}]}");
    }
}
