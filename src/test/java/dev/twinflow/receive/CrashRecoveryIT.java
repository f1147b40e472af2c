package dev.twinflow.receive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twinflow.ChildApp;
import dev.twinflow.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 under load loses no acknowledged message, and the log and data set reopen cleanly. */
class CrashRecoveryIT {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesSigkillDuringLoad() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("child.log");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        JsonNode generatedBefore;
        int clients = 16;
        try (ChildApp app = ChildApp.start(data, log)) {
            TestHttp http = new TestHttp(app.port());
            generatedBefore = http.post("/generate", "{\"type\":\"sensor\",\"num\":50}")
                    .json()
                    .get("data");

            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            for (int c = 0; c < clients; c++) {
                int client = c;
                pool.submit(() -> {
                    for (int n = 0; running.get(); n++) {
                        String id = client + "-" + n;
                        try {
                            if (http.post("/receive", "{\"id\":\"" + id + "\",\"pad\":\"" + "p".repeat(n % 200) + "\"}")
                                            .status()
                                    == 200) {
                                acknowledged.add(id);
                            }
                        } catch (RuntimeException connectionGone) {
                            return;
                        }
                    }
                });
            }
            Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> acknowledged.size() >= 3000);
            app.kill();
            running.set(false);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        // every line on disk is a complete JSON object, whatever the kill cut
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(data.resolve("messages.jsonl"))) {
            assertThat(json.readTree(line).isObject()).isTrue();
        }

        try (ChildApp app = ChildApp.start(data, log)) {
            TestHttp http = new TestHttp(app.port());
            JsonNode stored = http.get("/messages?limit=100000").json();
            Map<String, Integer> times = new HashMap<>();
            stored.forEach(m -> times.merge(m.get("id").asText(), 1, Integer::sum));
            List<String> lost = new ArrayList<>();
            for (String id : acknowledged) {
                if (!times.containsKey(id)) {
                    lost.add(id);
                }
            }
            assertThat(lost).as("acknowledged but lost").isEmpty();
            assertThat(times.values()).allMatch(n -> n == 1);
            assertThat(http.get("/data?type=sensor").json().get("sensor")).isEqualTo(generatedBefore);

            // the reopened log keeps appending after the recovered records
            assertThat(http.post("/receive", "{\"id\":\"after\"}")
                            .json()
                            .get("index")
                            .asLong())
                    .isEqualTo(stored.size());
        }
    }
}
