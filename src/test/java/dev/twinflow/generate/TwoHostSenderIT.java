package dev.twinflow.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.ChildApp;
import dev.twinflow.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's two-host setup: a generator instance forwards what it generates to a listener instance. */
class TwoHostSenderIT {

    @TempDir
    Path dir;

    @Test
    void generatorForwardsEveryGeneratedRecordToTheListener() throws Exception {
        try (ChildApp listener = ChildApp.start(
                        dir.resolve("listener"), dir.resolve("listener.log"), "--twinflow.node-name=listener-b");
                ChildApp generator = ChildApp.start(
                        dir.resolve("generator"),
                        dir.resolve("generator.log"),
                        "--twinflow.node-name=generator-a",
                        "--twinflow.sender.enabled=true",
                        "--twinflow.sender.listener-url=http://127.0.0.1:" + listener.port() + "/receive")) {
            TestHttp generatorApi = new TestHttp(generator.port());
            TestHttp listenerApi = new TestHttp(listener.port());

            JsonNode sent = generatorApi
                    .post("/generate", "{\"type\":\"transaction\",\"num\":40}")
                    .json()
                    .get("data");

            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> listenerApi.get("/messages").json().size() == 40);
            JsonNode received = listenerApi.get("/messages").json();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode m : received) {
                ids.add(m.get("id").asInt());
                assertThat(m.get("received_by").asText()).isEqualTo("listener-b");
                JsonNode original = sent.get(m.get("id").asInt());
                assertThat(m.get("amount")).isEqualTo(original.get("amount"));
                assertThat(m.get("currency")).isEqualTo(original.get("currency"));
            }
            assertThat(ids).hasSize(40);
            // the generator keeps its own data set and received nothing itself
            assertThat(generatorApi.get("/messages").json()).isEmpty();
            assertThat(listenerApi.get("/data").json().get("transaction")).isEmpty();
        }
    }
}
