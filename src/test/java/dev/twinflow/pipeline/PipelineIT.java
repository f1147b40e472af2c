package dev.twinflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.TestHttp;
import dev.twinflow.TestHttp.Answer;
import dev.twinflow.embedded.KafkaEngine;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** generate → Kafka → receiver against the real in-process broker: integrity, recovery, poison, REST. */
// each IT class brings its own engines and data dir: close them with the class
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PipelineIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("twinflow.data-dir", () -> dataDir.toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    @Autowired
    KafkaEngine kafka;

    TestHttp http;

    @BeforeEach
    void client() {
        http = new TestHttp(port);
    }

    private Answer put(String path, String body) {
        return http.send(HttpRequest.newBuilder(URI.create(http.base() + path))
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private String define(String name, long limit) {
        String yaml = "name: " + name + "\nseed: 3\nrate: 0\nlimit: " + limit
                + "\ndevices: 50\nsensors-per-device: 2\nusers: 200\n";
        assertThat(put("/scenarios/" + name, yaml).status()).isEqualTo(200);
        Answer started = http.post("/scenarios/" + name + "/start", "");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        return started.json().get("last_run").get("run").asText();
    }

    @Test
    void everyOneOfAHundredThousandRecordsArrivesWithoutGap() {
        String run = define("integrity", 100_000);
        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> http.audit(run) != null
                        && http.audit(run).get("received").asLong() >= 100_000);
        JsonNode audit = http.audit(run);
        assertThat(audit.get("sent").asLong()).isEqualTo(100_000);
        assertThat(audit.get("received").asLong()).isEqualTo(100_000);
        assertThat(audit.get("missing").asLong()).isZero();
        assertThat(audit.get("complete").asBoolean()).isTrue();
        JsonNode status = http.get("/scenarios/integrity").json().get("last_run");
        assertThat(status.get("state").asText()).isEqualTo("finished");
        assertThat(status.get("delivery_failures").asLong()).isZero();
        // key = source: each source's records were stored in seq order
        Map<String, Long> lastSeq = new HashMap<>();
        int disorder = 0;
        for (int offset = 0; ; offset += 50_000) {
            JsonNode page =
                    http.get("/messages?offset=" + offset + "&limit=50000").json();
            if (page.isEmpty()) {
                break;
            }
            for (JsonNode m : page) {
                if (run.equals(m.path("run").asText())) {
                    long seq = m.get("seq").asLong();
                    Long before = lastSeq.put(m.get("source").asText(), seq);
                    if (before != null && seq <= before) {
                        disorder++;
                    }
                }
            }
        }
        assertThat(lastSeq.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100_000);
        assertThat(disorder).isZero();
        JsonNode source = audit.get("sources").get(0);
        assertThat(source.get("latency_ms_p99").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aStoppedReceiverCatchesUpOnEverythingWhenStartedAgain() throws Exception {
        camel.getRouteController().stopRoute("receive-generated-records");
        String run;
        try {
            run = define("recovery", 5_000);
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> http.get("/scenarios/recovery")
                    .json()
                    .get("last_run")
                    .get("state")
                    .asText()
                    .equals("finished"));
            assertThat(http.audit(run).get("sent").asLong()).isEqualTo(5_000);
            assertThat(http.audit(run).get("received").asLong()).isZero();
        } finally {
            camel.getRouteController().startRoute("receive-generated-records");
        }
        Awaitility.await()
                .atMost(Duration.ofMinutes(1))
                .until(() -> http.audit(run).get("received").asLong() == 5_000);
        assertThat(http.audit(run).get("missing").asLong()).isZero();
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheNextOnesStillArrive() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("sim_data_topic", "poison-source", "not json at all".getBytes()))
                    .get();
            for (int seq = 1; seq <= 3; seq++) {
                String json = "{\"run\":\"poison-run\",\"source\":\"poison-source\",\"seq\":" + seq + "}";
                producer.send(new ProducerRecord<>("sim_data_topic", "poison-source", json.getBytes()))
                        .get();
            }
        }
        Awaitility.await()
                .atMost(Duration.ofMinutes(1))
                .until(() -> http.audit("poison-run") != null
                        && http.audit("poison-run").get("received").asLong() == 3);

        p.put("group.id", "dlq-reader");
        p.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("sim_data_topic.dlq"));
            ConsumerRecord<String, byte[]> letter = Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () -> {
                                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                                    if ("poison-source".equals(r.key())) {
                                        return r;
                                    }
                                }
                                return null;
                            },
                            r -> r != null);
            assertThat(new String(letter.value())).isEqualTo("not json at all");
            assertThat(new String(letter.headers().lastHeader("dlq_reason").value()))
                    .contains("not valid JSON");
            assertThat(new String(
                            letter.headers().lastHeader("dlq_original_topic").value()))
                    .isEqualTo("sim_data_topic");
        }
    }

    @Test
    void scenarioRestRefusesBadInputNamingTheField() {
        Answer invalid = put("/scenarios/broken", "name: broken\nrate: -3\n");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("detail").asText()).contains("'rate'");
        assertThat(http.get("/scenarios/broken").status()).isEqualTo(404);

        assertThat(put("/scenarios/other", "name: mismatch\n")
                        .json()
                        .get("detail")
                        .asText())
                .contains("'name'");
        assertThat(http.post("/scenarios/nope/start", "").status()).isEqualTo(404);
        assertThat(http.post("/scenarios/nope/stop", "").status()).isEqualTo(404);
        Answer badOverride = http.post("/scenarios/factory-floor/start", "{\"rate\":\"fast\"}");
        assertThat(badOverride.status()).isEqualTo(400);
        assertThat(badOverride.json().get("detail").asText()).contains("'rate'");
        assertThat(http.get("/audit?run=never-ran").status()).isEqualTo(404);
        assertThat(http.get("/scenarios").json().findValuesAsText("name")).contains("factory-floor", "load-test");
    }

    @Test
    void aRunningScenarioCanBeStoppedAndIsNotStartedTwice() {
        put("/scenarios/slow", "name: slow\nrate: 50\ndevices: 2\nusers: 0\nmix: {sensor: 1}\n");
        assertThat(http.post("/scenarios/slow/start", "").status()).isEqualTo(202);
        assertThat(http.post("/scenarios/slow/start", "").status()).isEqualTo(409);
        assertThat(http.post("/scenarios/slow/stop", "").status()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/scenarios/slow")
                .json()
                .get("last_run")
                .get("state")
                .asText()
                .equals("stopped"));
    }
}
