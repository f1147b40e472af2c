package dev.twinflow.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Seed 004's MQTT flow against the embedded MQTT 5 broker, Kafka and redis-server, with a real Paho client. */
class MachineDataIT extends AppIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    MqttEngine mqtt;

    @Autowired
    KafkaEngine kafka;

    TestHttp http;
    TestDevice device;

    @BeforeEach
    void connect() throws Exception {
        http = new TestHttp(httpPort);
        device = TestDevice.connect(mqtt.url(), "test-device-");
    }

    @AfterEach
    void disconnect() throws Exception {
        device.close();
    }

    void publish(String topic, String payload) throws Exception {
        device.publish(topic, payload);
    }

    static String seedPayload() throws Exception {
        return Files.readString(Path.of("src/test/resources/ingest-machine-data/seed-payload.json"))
                .trim();
    }

    KafkaConsumer<String, byte[]> consumerAtEnd(String topic) {
        return TestKafka.consumerAtEnd(kafka.bootstrapServers(), topic);
    }

    static List<ConsumerRecord<String, byte[]>> records(KafkaConsumer<String, byte[]> consumer, String key, int n) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                if (key.equals(r.key())) {
                    seen.add(r);
                }
            });
            return seen.size() >= n;
        });
        return seen;
    }

    @Test
    void theSeedPayloadBecomesReadingsOnKafkaAndLatestValuesInRedis() throws Exception {
        try (KafkaConsumer<String, byte[]> consumer = consumerAtEnd("machine_data")) {
            publish("Query/Response/STRESS_TEST_00000", seedPayload());
            JsonNode readings = JSON.readTree(
                    records(consumer, "STRESS_TEST_00000", 1).get(0).value());
            assertThat(readings).hasSize(3);
            assertThat(readings.get(0).get("device_id").asText()).isEqualTo("STRESS_TEST_00000");
            assertThat(readings.get(0).get("data_id").asText()).isEqualTo("X_POS");
            assertThat(readings.get(0).get("value").asDouble()).isEqualTo(12.5);
            assertThat(readings.get(1).get("value").asInt()).isEqualTo(1200); // the seed takes values[0]
            assertThat(readings.get(2).get("value").isNull()).isTrue();
            assertThat(readings.get(2).get("value_text").asText()).isEqualTo("RUNNING");
            assertThat(readings.get(0).get("ts").asLong()).isPositive();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "ok"
                .equals(http.post("/get_data/", "{\"id\":\"X_POS\"}")
                        .json()
                        .get("status")
                        .asText()));
        assertThat(http.post("/get_data/", "{\"id\":\"X_POS\"}").body())
                .isEqualTo("{\"status\":\"ok\",\"id\":\"X_POS\",\"value\":12.5}");
        assertThat(http.post("/get_data", "{\"id\":\"STATE\",\"device_id\":\"STRESS_TEST_00000\"}")
                        .json()
                        .get("value")
                        .asText())
                .isEqualTo("RUNNING");
        assertThat(http.post("/get_data/", "{\"id\":\"NOPE\"}").body())
                .isEqualTo("{\"status\":\"not_found\",\"id\":\"NOPE\",\"value\":null}");
        assertThat(http.post("/get_data/", "{\"device_id\":\"x\"}").status()).isEqualTo(422);
    }

    @Test
    void poisonPayloadsAreDeadLetteredWithAReasonAndLaterMessagesStillFlow() throws Exception {
        try (KafkaConsumer<String, byte[]> dlq = consumerAtEnd("machine_data.dlq")) {
            publish("Query/Response/POISON_1", "this is not json");
            publish("Query/Response/POISON_1", "{\"values\":[{\"id\":\"A\"}]}");
            publish("Query/Response/POISON_1", "{\"values\":[{\"id\":\"LATER\",\"values\":[7]}]}");
            List<ConsumerRecord<String, byte[]>> letters = records(dlq, "Query/Response/POISON_1", 2);
            assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8))
                    .isEqualTo("this is not json");
            assertThat(new String(
                            letters.get(0).headers().lastHeader("dlq_reason").value(), StandardCharsets.UTF_8))
                    .startsWith("not JSON");
            assertThat(new String(
                            letters.get(1).headers().lastHeader("dlq_reason").value(), StandardCharsets.UTF_8))
                    .contains("non-empty 'values'");
            assertThat(new String(
                            letters.get(1)
                                    .headers()
                                    .lastHeader("dlq_original_topic")
                                    .value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("Query/Response/POISON_1");
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> http.post("/get_data/", "{\"id\":\"LATER\",\"device_id\":\"POISON_1\"}")
                                .json()
                                .get("value")
                                .asInt()
                        == 7);
    }

    @Test
    void publishSendsTheRequestedMessageOverMqtt() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        device.client().subscribe("plant/commands", 1);
        device.client().setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {}

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {}
        });
        TestHttp.Answer answer = http.post("/publish/", "{\"topic\":\"plant/commands\",\"payload\":{\"start\":true}}");
        assertThat(answer.body()).isEqualTo("{\"status\":\"published\",\"topic\":\"plant/commands\"}");
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("plant/commands {\"start\":true}");
        http.post("/publish/", "{\"topic\":\"plant/commands\",\"payload\":\"raw text\"}");
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("plant/commands raw text");
        assertThat(http.post("/publish/", "{\"topic\":\"plant/#\"}").status()).isEqualTo(422);
        assertThat(http.post("/publish/", "{\"payload\":1}").status()).isEqualTo(422);
    }

    @Test
    void connectSaysWhereTheBrokerIsConfigured() {
        JsonNode answer = http.post("/connect/", "{\"data\":{\"host\":\"h\",\"port\":1883,\"clientid\":\"c\"}}")
                .json();
        assertThat(answer.get("rc_status").asText()).isEqualTo("configured");
        assertThat(answer.get("broker_url").asText()).isEqualTo(mqtt.url());
        assertThat(answer.get("detail").asText()).contains("twinflow.mqtt.broker-url");
    }
}
