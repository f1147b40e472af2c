package dev.twinflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twinflow.AppIT;
import dev.twinflow.TestDevice;
import dev.twinflow.TestHttp;
import dev.twinflow.embedded.KafkaEngine;
import dev.twinflow.embedded.MqttEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Seed 004's InfluxDB side against a real influxd (1.x, v1 API): points once, at the reading's time. */
class InfluxSinkIT extends AppIT {

    static final String DB = "mqtt_data";

    @TempDir
    static Path influxDir;

    static Influxd influx;

    @BeforeAll
    static void startInflux() throws Exception {
        influx = Influxd.start(influxDir, DB);
    }

    @AfterAll
    static void stopInflux() throws Exception {
        if (influx != null) {
            influx.close();
        }
    }

    @DynamicPropertySource
    static void influx(DynamicPropertyRegistry registry) {
        registry.add("twinflow.influx.url", () -> influx.url());
        registry.add("twinflow.influx.api", () -> "v1");
        registry.add("twinflow.influx.database", () -> DB);
    }

    @Autowired
    MqttEngine mqtt;

    @Autowired
    KafkaEngine kafka;

    @Test
    void writesEveryMqttReadingAsOnePointAtItsOwnTime() throws Exception {
        try (TestDevice device = TestDevice.connect(mqtt.url(), "influx-sink-")) {
            for (int i = 0; i < 30; i++) {
                device.publish(
                        "Query/Response/mill-" + (i % 3),
                        "{\"values\":[{\"id\":\"SEQ\",\"values\":[" + i
                                + "]},{\"id\":\"STATE\",\"values\":[\"RUN\"]}]}");
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> influx.count(DB, "value", "device_id =~ /^mill-/") == 30);
        assertThat(influx.count(DB, "value_text", "device_id =~ /^mill-/")).isEqualTo(30);
        var row = influx.query(
                        DB,
                        "SELECT value FROM machine_data WHERE device_id = 'mill-1' AND data_id = 'SEQ' ORDER BY time LIMIT 1")
                .at("/results/0/series/0/values/0");
        assertThat(row.get(1).asDouble()).isEqualTo(1.0);
        assertThat(new TestHttp(httpPort)
                        .get("/actuator/health")
                        .json()
                        .at("/components/influx/status")
                        .asText())
                .isEqualTo("UP");
    }

    @Test
    void aReplayedRecordIsTheSamePointAndABadOneIsDeadLettered() throws Exception {
        byte[] reading =
                "[{\"device_id\":\"replayed\",\"data_id\":\"T\",\"value\":1.5,\"value_text\":null,\"ts\":1700000000000}]"
                        .getBytes(StandardCharsets.UTF_8);
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        MysqlSinkIT probe = new MysqlSinkIT();
        probe.kafka = kafka;
        try (var dlq = probe.consumerAtEnd("machine_data.dlq");
                KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("machine_data", "replayed", reading));
            }
            producer.send(new ProducerRecord<>(
                    "machine_data",
                    "bad\\tag",
                    "[{\"device_id\":\"bad\\\\tag\",\"data_id\":\"T\",\"value\":1,\"ts\":1}]"
                            .getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(
                    "machine_data", "after-bad", MysqlSinkIT.readings("after-bad", "T", "2", 1700000000001L)));
            // same key, same partition: once this marker is written, all three replays were handled
            producer.send(new ProducerRecord<>(
                    "machine_data", "replayed", MysqlSinkIT.readings("replayed-marker", "T", "3", 1700000000002L)));
            producer.flush();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> influx.count(DB, "value", "device_id = 'after-bad'") == 1
                            && influx.count(DB, "value", "device_id = 'replayed-marker'") == 1);
            assertThat(influx.count(DB, "value", "device_id = 'replayed'")).isEqualTo(1);

            Map<String, String> reasons = new HashMap<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    if ("influx".equals(MysqlSinkIT.header(r, "dlq_sink"))) {
                        reasons.put(r.key(), MysqlSinkIT.header(r, "dlq_reason"));
                    }
                }
                return reasons.containsKey("bad\\tag");
            });
            assertThat(reasons.get("bad\\tag")).contains("backslash");
        }
    }
}
