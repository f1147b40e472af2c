package dev.twinflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.ChildApp;
import dev.twinflow.TestHttp;
import dev.twinflow.embedded.EmbeddedKafka;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With its Kafka cluster down the app still starts, reports unhealthy, and produces once it is back. */
// each IT class brings its own engines and data dir: close them with the class
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PipelineOutageIT {

    @TempDir
    static Path dir;

    static int kafkaPort;
    static EmbeddedKafka kafka;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        kafkaPort = ChildApp.freePort();
        registry.add("twinflow.data-dir", () -> dir.resolve("data").toString());
        registry.add("twinflow.kafka.bootstrap-servers", () -> "127.0.0.1:" + kafkaPort);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @LocalServerPort
    int port;

    private static JsonNode lastRun(TestHttp http) {
        return http.get("/scenarios/during-outage").json().get("last_run");
    }

    @Test
    void startsWithoutItsBrokerReportsDownPausesTheGeneratorAndDeliversEverythingOnceTheBrokerIsUp() throws Exception {
        TestHttp http = new TestHttp(port);
        assertThat(http.post("/receive", "{\"still\":\"serving\"}").status()).isEqualTo(200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> http.get("/actuator/health").status() == 503);
        assertThat(http.get("/actuator/health").body()).contains("receive-generated-records");

        http.send(HttpRequest.newBuilder(URI.create(http.base() + "/scenarios/during-outage"))
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "name: during-outage\nrate: 0\nlimit: 40000\ndevices: 5\nusers: 5\n")));
        String run = http.post("/scenarios/during-outage/start", "")
                .json()
                .get("last_run")
                .get("run")
                .asText();
        // with nowhere to deliver, the run waits (at most 16 chunks of 1000 in flight) instead of
        // generating on into memory
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> lastRun(http).get("generated").asLong() > 0);
        Awaitility.await("the generator stays behind its in-flight limit")
                .during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(6))
                .until(() -> lastRun(http).get("generated").asLong() <= 17 * 1001);
        assertThat(lastRun(http).get("acknowledged").asLong()).isZero();

        kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort);
        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> http.audit(run) != null
                        && http.audit(run).get("received").asLong() >= 40_000);
        JsonNode audit = http.audit(run);
        assertThat(audit.get("sent").asLong()).isEqualTo(40_000);
        assertThat(audit.get("missing").asLong()).isZero();
        assertThat(lastRun(http).get("state").asText()).isEqualTo("finished");
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> http.get("/actuator/health").status() == 200);
    }
}
