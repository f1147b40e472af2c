package dev.twinflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.AppIT;
import dev.twinflow.TestDevice;
import dev.twinflow.TestHttp;
import dev.twinflow.TestKafka;
import dev.twinflow.embedded.KafkaEngine;
import dev.twinflow.embedded.MqttEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Seed 004's MySQL side on the embedded MariaDB: MQTT readings into mac_data once, bad ones dead-lettered, history paged. */
class MysqlSinkIT extends AppIT {

    @Autowired
    MqttEngine mqtt;

    @Autowired
    KafkaEngine kafka;

    @Autowired
    DataSource dataSource;

    @Autowired
    CamelContext camel;

    JdbcTemplate jdbc;
    TestHttp http;

    @BeforeEach
    void connect() {
        jdbc = new JdbcTemplate(dataSource);
        http = new TestHttp(httpPort);
        await().atMost(Duration.ofSeconds(120)).until(() -> http.get("/actuator/health")
                .json()
                .at("/components/db/status")
                .asText()
                .equals("UP"));
        // the schema is migrated after the database answers, on its own thread: the sink route starts after it
        await().atMost(Duration.ofSeconds(120)).until(() -> camel.getRouteController()
                .getRouteStatus(SinkRoutes.MYSQL_ROUTE)
                .isStarted());
    }

    long rows(String device) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM mac_data WHERE device_id = ?", Long.class, device);
    }

    @Test
    void storesEverySeedReadingOnceWithTheSeedsColumnsAndTyped() throws Exception {
        String payload = Files.readString(Path.of("src/test/resources/ingest-machine-data/seed-payload.json"))
                .trim();
        try (TestDevice device = TestDevice.connect(mqtt.url(), "mysql-sink-")) {
            for (int i = 0; i < 20; i++) {
                device.publish("Query/Response/press-1", payload);
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> rows("press-1") == 60);

        Map<String, Object> state = jdbc.queryForMap(
                "SELECT * FROM mac_data WHERE device_id = 'press-1' AND data_id = 'STATE' ORDER BY ts LIMIT 1");
        assertThat(state.get("payload")).isEqualTo("RUNNING");
        assertThat(state.get("value")).isNull();
        assertThat(state.get("value_text")).isEqualTo("RUNNING");
        Map<String, Object> speed = jdbc.queryForMap(
                "SELECT * FROM mac_data WHERE device_id = 'press-1' AND data_id = 'SPINDLE_SPEED' ORDER BY ts LIMIT 1");
        assertThat(speed.get("payload")).isEqualTo("1200");
        assertThat(speed.get("value")).isEqualTo(1200.0);
        long ts = ((Number) speed.get("ts")).longValue();
        assertThat(((java.sql.Timestamp) speed.get("time")).toLocalDateTime())
                .isEqualTo(java.time.LocalDateTime.ofInstant(
                                java.time.Instant.ofEpochMilli(ts), java.time.ZoneId.systemDefault())
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        // 20 messages sent within a few ms: each has its own ts, so none overwrote another
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(DISTINCT ts) FROM mac_data WHERE device_id = 'press-1'", Long.class))
                .isEqualTo(20);
    }

    @Test
    void aReplayedBatchWritesNothingTwice() throws Exception {
        try (TestDevice device = TestDevice.connect(mqtt.url(), "mysql-replay-")) {
            for (int i = 0; i < 50; i++) {
                device.publish(
                        "Query/Response/replay-" + (i % 5), "{\"values\":[{\"id\":\"SEQ\",\"values\":[" + i + "]}]}");
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> rowsLike("replay-%") == 50);

        // the same records again, as a consumer that lost its commits would read them
        List<ConsumerRecord<String, byte[]>> records = recordsOf("machine_data", "replay-");
        assertThat(records).hasSize(50);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (ConsumerRecord<String, byte[]> r : records) {
                producer.send(new ProducerRecord<>("machine_data", r.key(), r.value()));
            }
            // one marker behind the replays on each device's partition (same key, same partition, in order)
            for (int d = 0; d < 5; d++) {
                producer.send(new ProducerRecord<>(
                        "machine_data", "replay-" + d, readings("marker-replay", "SEQ" + d, "1", 1L)));
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> rows("marker-replay") == 5);
        assertThat(rowsLike("replay-%")).isEqualTo(50);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(DISTINCT value) FROM mac_data WHERE device_id LIKE 'replay-_'", Long.class))
                .isEqualTo(50);
    }

    @Test
    void badReadingsGoToTheDeadLetterTopicWithAReasonAndTheSinkGoesOn() throws Exception {
        try (KafkaConsumer<String, byte[]> dlq = consumerAtEnd("machine_data.dlq");
                KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>("machine_data", "bad-1", "not json".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(
                    "machine_data",
                    "bad-2",
                    "[{\"device_id\":\"bad-2\",\"data_id\":\"X\",\"value\":1}]".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>("machine_data", "bad-3", readings("bad-3", "X".repeat(300), "1", 5L)));
            producer.send(new ProducerRecord<>(
                    "machine_data",
                    "good-after-bad",
                    readings("good-after-bad", "X", "\"text in a numeric place\"", 7L)));
            producer.flush();

            await().atMost(Duration.ofSeconds(60)).until(() -> rows("good-after-bad") == 1);
            assertThat(jdbc.queryForObject(
                            "SELECT value_text FROM mac_data WHERE device_id = 'good-after-bad'", String.class))
                    .isEqualTo("text in a numeric place");

            Map<String, String> reasons = new HashMap<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    if ("mysql".equals(header(r, "dlq_sink"))) {
                        reasons.put(r.key(), header(r, "dlq_reason"));
                    }
                }
                return reasons.size() >= 3;
            });
            assertThat(reasons.get("bad-1")).contains("not a JSON array");
            assertThat(reasons.get("bad-2")).contains("ts");
            assertThat(reasons.get("bad-3")).contains("data_id longer than 255");
        }
        assertThat(rows("bad-2") + rows("bad-3")).isZero();
    }

    @Test
    void historyAnswersPagedNewestFirstAndRefusesBadParameters() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < 12; i++) {
                producer.send(new ProducerRecord<>(
                        "machine_data", "hist-1", readings("hist-1", "T", String.valueOf(20 + i), 1_000_000L + i)));
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> rows("hist-1") == 12);

        JsonNode first =
                http.get("/machine_data?device_id=hist-1&data_id=T&limit=5").json();
        assertThat(first.get("items")).as(first.toString()).hasSize(5);
        assertThat(first.get("items").get(0).get("ts").asLong()).isEqualTo(1_000_011L);
        assertThat(first.get("items").get(0).get("value").asDouble()).isEqualTo(31.0);
        assertThat(first.get("next_offset").asLong()).isEqualTo(5);
        JsonNode last = http.get("/machine_data?device_id=hist-1&data_id=T&limit=5&offset=10")
                .json();
        assertThat(last.get("items")).hasSize(2);
        assertThat(last.get("next_offset").isNull()).isTrue();
        JsonNode range = http.get("/machine_data?device_id=hist-1&from=1000002&to=1970-01-01T00:16:40.005Z&order=asc")
                .json();
        assertThat(range.get("items"))
                .extracting(i -> i.get("ts").asLong())
                .containsExactly(1_000_002L, 1_000_003L, 1_000_004L);

        for (String bad : List.of(
                "limit=abc",
                "offset=-1",
                "from=yesterday",
                "order=sideways",
                "from=5&to=4",
                "device_id=" + "d".repeat(200))) {
            TestHttp.Answer answer = http.get("/machine_data?" + bad);
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.json().get("error").asText()).as(bad).startsWith("invalid_");
        }
    }

    @Test
    void latestValuesListEveryDevice() throws Exception {
        try (TestDevice device = TestDevice.connect(mqtt.url(), "latest-")) {
            device.publish(
                    "Query/Response/latest-a",
                    "{\"values\":[{\"id\":\"T\",\"values\":[1.5]},{\"id\":\"S\",\"values\":[\"ON\"]}]}");
            device.publish("Query/Response/latest-b", "{\"values\":[{\"id\":\"T\",\"values\":[2.5]}]}");
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            JsonNode devices = http.get("/machine_latest").json().get("devices");
            Map<String, JsonNode> byId = new HashMap<>();
            devices.forEach(d -> byId.put(d.get("device_id").asText(), d));
            assertThat(byId.get("latest-a").at("/values/T").asDouble()).isEqualTo(1.5);
            assertThat(byId.get("latest-a").at("/values/S").asText()).isEqualTo("ON");
            assertThat(byId.get("latest-b").at("/values/T").asDouble()).isEqualTo(2.5);
            assertThat(byId.get("latest-b").get("readings").asLong()).isEqualTo(1);
        });
    }

    static byte[] readings(String device, String dataId, String jsonValue, long ts) {
        return ("[{\"device_id\":\"" + device + "\",\"data_id\":\"" + dataId + "\",\"value\":" + jsonValue
                        + ",\"value_text\":null,\"ts\":" + ts + "}]")
                .getBytes(StandardCharsets.UTF_8);
    }

    long rowsLike(String pattern) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM mac_data WHERE device_id LIKE ?", Long.class, pattern);
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    KafkaConsumer<String, byte[]> consumer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    KafkaConsumer<String, byte[]> consumerAtEnd(String topic) {
        return TestKafka.consumerAtEnd(kafka.bootstrapServers(), topic);
    }

    List<ConsumerRecord<String, byte[]>> recordsOf(String topic, String keyPrefix) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.key().startsWith(keyPrefix)) {
                        found.add(r);
                    }
                }
            }
        }
        return found;
    }
}
