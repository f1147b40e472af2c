package dev.twinflow.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.ChildApp;
import dev.twinflow.TestHttp;
import dev.twinflow.embedded.RedisEngine;
import dev.twinflow.telemetry.proto.Ack;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import redis.embedded.RedisServer;

/** A Redis of the test's own (real redis-server), restarted and stopped under the app's feet. */
// each IT class brings its own engines and data dir: close them with the class
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisRestartIT {

    @TempDir
    static Path dir;

    static int redisPort;
    static RedisServer redis;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        redisPort = ChildApp.freePort();
        redis = startRedis();
        registry.add("twinflow.data-dir", () -> dir.resolve("data").toString());
        registry.add("twinflow.redis.url", () -> "redis://127.0.0.1:" + redisPort);
    }

    static RedisServer startRedis() throws Exception {
        // fsync on every write: what the restart must not lose is what Redis acknowledged
        return RedisEngine.startServer(Files.createDirectories(dir.resolve("redis")), redisPort, "always");
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.stop();
        }
    }

    @LocalServerPort
    int httpPort;

    @Value("${twinflow.grpc.port}")
    int grpcPort;

    private static final Pattern COUNTED = Pattern.compile("(\\d+) packets of this stream are counted");

    @Test
    void streamsInFlightDuringARedisRestartFailCleanlyOrAreCountedExactly() throws Exception {
        int streams = 16;
        int packets = 50_000;
        List<CompletableFuture<Ack>> answers = new ArrayList<>();
        try (TelemetryClient client = new TelemetryClient(grpcPort)) {
            for (int s = 0; s < streams; s++) {
                String device = "restart-" + s;
                answers.add(CompletableFuture.supplyAsync(
                                () -> client.stream(packets, i -> TelemetryClient.packet(device, new byte[8])))
                        .thenCompose(f -> f));
            }
            TestHttp http = new TestHttp(httpPort);
            // Redis goes away while the streams are under way: some counts are in, none is complete
            Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .pollInterval(java.time.Duration.ofMillis(20))
                    .until(() -> http.get("/metrics").json().size() > 0);
            redis.stop();
            redis = startRedis();

            int acked = 0;
            int failed = 0;
            for (int s = 0; s < streams; s++) {
                long count;
                try {
                    Ack ack = answers.get(s).get(2, TimeUnit.MINUTES);
                    assertThat(ack.getOk()).isTrue();
                    count = countOf(http, s);
                    assertThat(count).as("acknowledged stream %d", s).isEqualTo(packets);
                    acked++;
                } catch (ExecutionException e) {
                    Status status = ((StatusRuntimeException) e.getCause()).getStatus();
                    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    Matcher m = COUNTED.matcher(status.getDescription());
                    assertThat(m.find()).as(status.getDescription()).isTrue();
                    long documented = Long.parseLong(m.group(1));
                    count = countOf(http, s);
                    assertThat(count).as("failed stream %d", s).isBetween(documented, (long) packets);
                    failed++;
                }
            }
            assertThat(acked + failed).isEqualTo(streams);
            org.slf4j.LoggerFactory.getLogger(RedisRestartIT.class)
                    .info("Redis restart: {} streams acknowledged, {} failed cleanly", acked, failed);
        }
    }

    private static long countOf(TestHttp http, int stream) {
        TestHttp.Answer a = http.get("/metrics/restart-" + stream);
        return a.status() == 200 ? a.json().get("count").asLong() : 0;
    }

    @Test
    void withRedisDownAStreamGetsUnavailableAndReadsAnswer503() throws Exception {
        TestHttp http = new TestHttp(httpPort);
        redis.stop();
        try (TelemetryClient client = new TelemetryClient(grpcPort)) {
            CompletableFuture<Ack> answer = client.stream(100, i -> TelemetryClient.packet("while-down", new byte[4]));
            try {
                answer.get(1, TimeUnit.MINUTES);
                throw new AssertionError("a stream must not be acknowledged while Redis is down");
            } catch (ExecutionException e) {
                assertThat(((StatusRuntimeException) e.getCause()).getStatus().getCode())
                        .isEqualTo(Status.Code.UNAVAILABLE);
            }
            TestHttp.Answer metrics = http.get("/metrics");
            assertThat(metrics.status()).isEqualTo(503);
            assertThat(metrics.json().get("error").asText()).isEqualTo("redis_unavailable");
        } finally {
            redis = startRedis();
        }
        try (TelemetryClient client = new TelemetryClient(grpcPort)) {
            Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> client.stream(5, i -> TelemetryClient.packet("after", new byte[4]))
                            .get(30, TimeUnit.SECONDS)
                            .getOk());
        }
    }
}
