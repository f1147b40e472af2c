package dev.twinflow.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.TestHttp;
import dev.twinflow.TestHttp.Answer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Seed 000's API over real HTTP: its README examples unchanged, then the bad inputs and concurrency. */
// each IT class brings its own engines and data dir: close them with the class
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SeedApiIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("twinflow.data-dir", () -> dataDir.toString());
        registry.add("twinflow.node-name", () -> "Ubuntu B");
    }

    @LocalServerPort
    int port;

    TestHttp http;

    @BeforeEach
    void clean() {
        http = new TestHttp(port);
        assertThat(http.post("/clear", "").status()).isEqualTo(200);
        assertThat(http.post("/clear_messages", "").status()).isEqualTo(200);
    }

    private static String resource(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/seed-000", name));
    }

    private long messageCount() {
        return http.get("/messages?limit=100000").json().size();
    }

    private long recordCount() {
        JsonNode data = http.get("/data?limit=100000").json();
        return data.get("user").size()
                + data.get("sensor").size()
                + data.get("transaction").size();
    }

    @Test
    void seedReadmeExamplesWorkAsWritten() throws IOException {
        // 生成用户数据 / 生成传感器数据
        Answer users = http.post("/generate", "{\"type\": \"user\", \"num\": 10}");
        assertThat(users.status()).isEqualTo(200);
        assertThat(users.json().get("status").asText()).isEqualTo("success");
        assertThat(users.json().get("type").asText()).isEqualTo("user");
        assertThat(users.json().get("count").asInt()).isEqualTo(10);
        assertThat(users.json().get("data")).hasSize(10);
        Answer sensors = http.post("/generate", "{\"type\": \"sensor\", \"num\": 5}");
        assertThat(sensors.json().get("data")).hasSize(5);

        // 获取数据: listener and generator are one process here
        JsonNode data = http.get("/data").json();
        assertThat(data.get("user")).hasSize(10);
        assertThat(data.get("sensor")).hasSize(5);
        assertThat(data.get("user").get(3)).isEqualTo(users.json().get("data").get(3));

        // 发送简单消息 / 发送复杂消息
        Answer simple = http.post("/receive", resource("simple-message.json"));
        assertThat(simple.status()).isEqualTo(200);
        assertThat(simple.json().get("status").asText()).isEqualTo("success");
        Answer complex = http.post("/receive", resource("complex-message.json"));
        assertThat(complex.status()).isEqualTo(200);

        // 获取所有消息: the seed's message.json shape, stamps added; the answer names the node it covers
        Answer listed = http.get("/messages");
        assertThat(listed.header("Twinflow-Node")).isEqualTo("Ubuntu B");
        assertThat(http.get("/data").header("Twinflow-Node")).isEqualTo("Ubuntu B");
        JsonNode messages = listed.json();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get("message").asText()).isEqualTo("测试数据");
        assertThat(messages.get(0).get("timestamp").asLong()).isEqualTo(1234567890L);
        assertThat(messages.get(0).get("received_by").asText()).isEqualTo("Ubuntu B");
        assertThat(messages.get(0).get("received_at").asDouble())
                .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(60.0));
        assertThat(messages.get(1).get("content").asText()).isEqualTo("连接失败");
        assertThat(messages.get(1).get("user_id").asInt()).isEqualTo(123);

        // 清空消息文件
        assertThat(http.post("/clear_messages", "").json().get("removed").asInt())
                .isEqualTo(2);
        assertThat(messageCount()).isZero();
    }

    @Test
    void generatesExactlyTheSeedFieldsForEachType() {
        assertThat(fieldsOf("user")).containsExactly("id", "name", "age", "email", "created_at");
        assertThat(fieldsOf("sensor")).containsExactly("id", "sensor_type", "value", "unit", "timestamp");
        assertThat(fieldsOf("transaction")).containsExactly("id", "amount", "currency", "type", "status", "timestamp");
    }

    private List<String> fieldsOf(String type) {
        JsonNode record = http.post("/generate", "{\"type\":\"" + type + "\",\"num\":1}")
                .json()
                .get("data")
                .get(0);
        List<String> names = new java.util.ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void idsContinueAcrossCallsPerType() {
        http.post("/generate", "{\"type\":\"transaction\",\"num\":3}");
        JsonNode second = http.post("/generate", "{\"type\":\"transaction\",\"num\":2}")
                .json()
                .get("data");
        assertThat(second.get(0).get("id").asInt()).isEqualTo(3);
        assertThat(second.get(1).get("id").asInt()).isEqualTo(4);
    }

    @Test
    void sensorValuesCarryTheUnitOfTheirType() {
        JsonNode sensors = http.post("/generate", "{\"type\":\"sensor\",\"num\":300}")
                .json()
                .get("data");
        Set<String> types = new HashSet<>();
        for (JsonNode s : sensors) {
            types.add(s.get("sensor_type").asText());
            if (s.get("sensor_type").asText().equals("temperature")) {
                assertThat(s.get("unit").asText()).isEqualTo("°C");
                assertThat(s.get("value").asDouble()).isBetween(-20.0, 60.0);
            }
            if (s.get("sensor_type").asText().equals("humidity")) {
                assertThat(s.get("unit").asText()).isEqualTo("%");
                assertThat(s.get("value").asDouble()).isBetween(0.0, 100.0);
            }
        }
        assertThat(types).contains("temperature", "humidity", "pressure");
    }

    @Test
    void dataFiltersByTypeAndPages() {
        http.post("/generate", "{\"type\":\"user\",\"num\":5}");
        http.post("/generate", "{\"type\":\"sensor\",\"num\":2}");
        JsonNode page = http.get("/data?type=user&offset=1&limit=2").json();
        assertThat(page.has("sensor")).isFalse();
        assertThat(page.get("user")).hasSize(2);
        assertThat(page.get("user").get(0).get("id").asInt()).isEqualTo(1);
        assertThat(http.get("/data?type=robot").status()).isEqualTo(400);
    }

    @Test
    void messagesPageInArrivalOrder() {
        for (int i = 0; i < 5; i++) {
            http.post("/receive", "{\"n\":" + i + "}");
        }
        JsonNode page = http.get("/messages?offset=2&limit=2").json();
        assertThat(page).hasSize(2);
        assertThat(page.get(0).get("n").asInt()).isEqualTo(2);
        assertThat(page.get(1).get("n").asInt()).isEqualTo(3);
        assertThat(http.get("/messages?offset=-1").status()).isEqualTo(400);
    }

    @Test
    void refusesBadInputWithAJsonErrorAndStoresNothing() {
        assertRefused(http.post("/receive", "not json"), 400, "invalid_json");
        assertRefused(http.post("/receive", ""), 400, "invalid_json");
        assertRefused(http.post("/receive", "{\"a\":1} trailing"), 400, "invalid_json");
        assertRefused(http.post("/receive", "[1,2]"), 422, "not_an_object");
        assertRefused(http.post("/receive", "\"text\""), 422, "not_an_object");
        assertRefused(http.post("/generate", "{\"type\":\"robot\",\"num\":1}"), 422, "invalid_type");
        assertRefused(http.post("/generate", "{\"num\":1}"), 422, "missing_type");
        assertRefused(http.post("/generate", "{\"type\":\"user\",\"num\":0}"), 422, "invalid_num");
        assertRefused(http.post("/generate", "{\"type\":\"user\",\"num\":-3}"), 422, "invalid_num");
        assertRefused(http.post("/generate", "{\"type\":\"user\",\"num\":100001}"), 422, "invalid_num");
        assertRefused(http.post("/generate", "{\"type\":\"user\",\"num\":\"many\"}"), 422, "invalid_num");
        assertRefused(http.post("/generate", "{\"type\":"), 400, "invalid_json");
        String big = "{\"blob\":\"" + "x".repeat(1024 * 1024) + "\"}";
        assertRefused(http.post("/receive", big), 413, "payload_too_large");
        assertRefused(
                http.send(HttpRequest.newBuilder(URI.create(http.base() + "/receive"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))),
                413,
                "payload_too_large");
        assertRefused(http.get("/receive"), 405, "method_not_allowed");
        assertRefused(http.get("/generate"), 405, "method_not_allowed");
        assertRefused(http.get("/clear_messages"), 405, "method_not_allowed");
        assertThat(messageCount()).isZero();
        assertThat(recordCount()).isZero();
    }

    private static void assertRefused(Answer answer, int status, String error) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().get("error").asText()).isEqualTo(error);
        assertThat(answer.json().get("detail").asText()).isNotBlank();
    }

    @Test
    void acceptsAFormLabelledBodyAsJson() {
        Answer answer = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/receive"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"k\":\"v\"}")));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(http.get("/messages").json().get(0).get("k").asText()).isEqualTo("v");
    }

    @Test
    void storesEachOfFiveHundredConcurrentMessagesExactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<Answer>> answers = IntStream.range(0, 500)
                    .mapToObj(i -> pool.submit(() -> http.post("/receive", "{\"n\":" + i + "}")))
                    .toList();
            for (Future<Answer> a : answers) {
                assertThat(a.get().status()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        JsonNode all = http.get("/messages?limit=1000").json();
        assertThat(all).hasSize(500);
        Set<Integer> seen = new HashSet<>();
        all.forEach(m -> seen.add(m.get("n").asInt()));
        assertThat(seen).hasSize(500);
        assertThat(Files.readAllLines(dataDir.resolve("messages.jsonl"))).hasSize(500);
    }
}
