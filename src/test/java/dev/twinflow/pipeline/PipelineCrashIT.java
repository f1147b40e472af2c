package dev.twinflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.ChildApp;
import dev.twinflow.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 mid-stream: after a restart the receiver catches up and the audit shows no gap. */
class PipelineCrashIT {

    @TempDir
    Path dir;

    @Test
    void auditShowsNoGapAfterSigkillMidStreamAndRestart() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("child.log");
        String run;
        try (ChildApp app = ChildApp.start(data, log)) {
            TestHttp http = new TestHttp(app.port());
            http.send(HttpRequest.newBuilder(URI.create(http.base() + "/scenarios/crash"))
                    .PUT(HttpRequest.BodyPublishers.ofString(
                            "name: crash\nseed: 5\nrate: 20000\ndevices: 40\nsensors-per-device: 2\nusers: 100\n")));
            run = http.post("/scenarios/crash/start", "")
                    .json()
                    .get("last_run")
                    .get("run")
                    .asText();
            Awaitility.await()
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> http.audit(run) != null
                            && http.audit(run).get("received").asLong() > 20_000);
            app.kill(); // mid-stream: generating, producing and consuming
        }

        try (ChildApp app = ChildApp.start(data, log)) {
            TestHttp http = new TestHttp(app.port());
            // the run died with the process; what Kafka acknowledged is still there to consume
            Awaitility.await()
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        JsonNode a = http.audit(run);
                        return a.get("missing").asLong() == 0
                                && a.get("received").asLong() >= a.get("sent").asLong();
                    });
            JsonNode audit = http.audit(run);
            assertThat(audit.get("received").asLong()).isGreaterThan(20_000);
            assertThat(audit.get("complete").asBoolean()).isTrue();
            for (JsonNode source : audit.get("sources")) {
                assertThat(source.get("missing_ranges")).as(source.toString()).isEmpty();
            }
            // duplicates are allowed (at-least-once) and counted, never negative or hidden
            assertThat(audit.get("duplicates").asLong()).isGreaterThanOrEqualTo(0);
        }
    }
}
