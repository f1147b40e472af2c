package dev.twinflow.machine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.system.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The ingest-machine-data and publish-machine-data routes on their own: fed through {@code direct:}
 * instead of the MQTT broker, their two Kafka sends (readings, dead letters) replaced by mocks, so what
 * they hand Kafka is checked: a batch's records, each with its own key and headers.
 */
@CamelSpringBootTest
@UseAdviceWith
// advised routes must never reach another IT: a context of this class's own (its own property source
// below keys it apart in the context cache), closed with the class
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IngestMachineDataRouteIT {

    static final String ROUTE = "ingest-machine-data";
    static final String PUBLISH = "publish-machine-data";
    static final String INPUT = "direct:ingest-machine-data";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("twinflow.data-dir", () -> dataDir.toString());
    }

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    MeterRegistry meters;

    @Value("${twinflow.kafka.machine-topic}")
    String readingsTopic;

    @Value("${twinflow.kafka.machine-dead-letter-topic}")
    String deadLetterTopic;

    MockEndpoint readings;
    MockEndpoint deadLetters;

    @BeforeEach
    void adviseOnce() throws Exception {
        if (!camel.getStatus().isStarted()) {
            AdviceWith.adviceWith(camel, ROUTE, a -> a.replaceFromWith(INPUT));
            AdviceWith.adviceWith(camel, PUBLISH, a -> {
                a.interceptSendToEndpoint(kafka(readingsTopic))
                        .skipSendToOriginalEndpoint()
                        .to("mock:readings");
                a.interceptSendToEndpoint(kafka(deadLetterTopic))
                        .skipSendToOriginalEndpoint()
                        .to("mock:dead-letters");
            });
            camel.start();
            // autoStartup: false, and MqttRoutes starts MQTT routes only: this one now starts at direct:
            camel.getRouteController().startRoute(ROUTE);
        }
        MockEndpoint.resetMocks(camel);
        readings = camel.getEndpoint("mock:readings", MockEndpoint.class);
        deadLetters = camel.getEndpoint("mock:dead-letters", MockEndpoint.class);
    }

    /** The producer endpoint of {@code topic} with any options, and only that topic (regex). */
    static String kafka(String topic) {
        return "kafka:(//)?" + Pattern.quote(topic) + "(\\?.*)?";
    }

    Exchange publish(String topic, String payload) {
        return producer.send(INPUT, e -> {
            e.getMessage().setHeader(PahoMqtt5Constants.MQTT_TOPIC, topic);
            e.getMessage().setBody(payload.getBytes(StandardCharsets.UTF_8));
        });
    }

    static String seedPayload() throws Exception {
        return Files.readString(Path.of("src/test/resources/ingest-machine-data/seed-payload.json"))
                .trim();
    }

    /** The records of every batch a mock received, in order. */
    @SuppressWarnings("unchecked")
    static List<Message> records(MockEndpoint mock) {
        return mock.getReceivedExchanges().stream()
                .flatMap(e -> ((List<Message>) e.getMessage().getBody(List.class)).stream())
                .toList();
    }

    @Test
    void theSeedPayloadBecomesOneKafkaRecordOfItsReadingsKeyedByDevice() throws Exception {
        readings.expectedMessageCount(1);
        deadLetters.expectedMessageCount(0);

        Exchange sent = publish("Query/Response/STRESS_TEST_00000", seedPayload());

        assertThat(sent.getException()).isNull();
        readings.assertIsSatisfied(10_000);
        deadLetters.assertIsSatisfied();
        List<Message> records = records(readings);
        assertThat(records).hasSize(1);
        Message record = records.get(0);
        assertThat(record.getHeader(KafkaConstants.KEY)).isEqualTo("STRESS_TEST_00000");
        assertThat(record.getHeader(PahoMqtt5Constants.MQTT_TOPIC))
                .as("MQTT headers do not go to Kafka")
                .isNull();
        JsonNode values = Json.MAPPER.readTree(record.getBody(byte[].class));
        assertThat(values).hasSize(3);
        assertThat(values.get(0).get("device_id").asText()).isEqualTo("STRESS_TEST_00000");
        assertThat(values.get(0).get("data_id").asText()).isEqualTo("X_POS");
        assertThat(values.get(0).get("value").asDouble()).isEqualTo(12.5);
        assertThat(values.get(1).get("data_id").asText()).isEqualTo("SPINDLE_SPEED");
        assertThat(values.get(1).get("value").asInt()).isEqualTo(1200); // the seed takes values[0]
        assertThat(values.get(2).get("data_id").asText()).isEqualTo("STATE");
        assertThat(values.get(2).get("value").isNull()).isTrue();
        assertThat(values.get(2).get("value_text").asText()).isEqualTo("RUNNING");
        assertThat(values.get(0).get("ts").asLong()).isPositive();
        assertThat(values.get(2).get("ts").asLong())
                .isEqualTo(values.get(0).get("ts").asLong());
    }

    @Test
    void concurrentMessagesGoToKafkaInBatchesAndEachCompletesWithItsOwnRecord() throws Exception {
        int n = 400;
        double before = received();
        ExecutorService senders = Executors.newFixedThreadPool(64);
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String device = "BATCH_" + i;
                String payload = "{\"values\":[{\"id\":\"N\",\"values\":[" + i + "]}]}";
                sent.add(CompletableFuture.supplyAsync(() -> publish("Query/Response/" + device, payload), senders));
            }
            for (CompletableFuture<Exchange> f : sent) {
                assertThat(f.get(30, TimeUnit.SECONDS).getException()).isNull();
            }
        } finally {
            senders.shutdownNow();
        }
        List<Message> records = records(readings);
        assertThat(records).hasSize(n);
        assertThat(records.stream()
                        .map(r -> r.getHeader(KafkaConstants.KEY, String.class))
                        .distinct())
                .hasSize(n);
        for (Message r : records) {
            JsonNode reading = Json.MAPPER.readTree(r.getBody(byte[].class)).get(0);
            assertThat(r.getHeader(KafkaConstants.KEY, String.class))
                    .isEqualTo("BATCH_" + reading.get("value").asInt());
        }
        assertThat(readings.getReceivedCounter())
                .as("batches for %d messages sent at once", n)
                .isLessThan(n);
        assertThat(received() - before)
                .as("twinflow_records_received_total{via=mqtt}")
                .isEqualTo(n);
        deadLetters.expectedMessageCount(0);
        deadLetters.assertIsSatisfied();
    }

    @Test
    void aBadPayloadIsDeadLetteredWithItsReasonAndTheRouteKeepsGoing() throws Exception {
        String topic = "Query/Response/POISON_1";
        double lettered = deadLettered();
        NotifyBuilder done =
                new NotifyBuilder(camel).fromRoute(ROUTE).whenCompleted(3).create();
        deadLetters.expectedMessageCount(2);
        readings.expectedMessageCount(1);

        assertThat(publish(topic, "this is not json").getException()).isNull();
        assertThat(publish(topic, "{\"values\":[{\"id\":\"A\"}]}").getException())
                .isNull();
        assertThat(publish(topic, "{\"values\":[{\"id\":\"LATER\",\"values\":[7]}]}")
                        .getException())
                .isNull();

        assertThat(done.matches(10, TimeUnit.SECONDS))
                .as("all three completed, none failed")
                .isTrue();
        deadLetters.assertIsSatisfied(10_000);
        readings.assertIsSatisfied(10_000);
        List<Message> letters = records(deadLetters);
        assertThat(letters)
                .extracting(m -> m.getBody(String.class))
                .containsExactly("this is not json", "{\"values\":[{\"id\":\"A\"}]}");
        assertThat(letters).allSatisfy(m -> {
            assertThat(m.getHeader("dlq_original_topic")).isEqualTo(topic);
            assertThat(m.getHeader(KafkaConstants.KEY)).isEqualTo(topic);
            assertThat(m.getHeader(PahoMqtt5Constants.MQTT_TOPIC)).isNull();
        });
        assertThat(letters.get(0).getHeader("dlq_reason", String.class)).startsWith("not JSON");
        assertThat(letters.get(1).getHeader("dlq_reason", String.class)).contains("non-empty 'values'");
        List<Message> records = records(readings);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).getHeader(KafkaConstants.KEY)).isEqualTo("POISON_1");
        JsonNode later = Json.MAPPER.readTree(records.get(0).getBody(byte[].class));
        assertThat(later.get(0).get("data_id").asText()).isEqualTo("LATER");
        assertThat(later.get(0).get("value").asInt()).isEqualTo(7);
        assertThat(deadLettered() - lettered).isEqualTo(2.0);
    }

    double received() {
        return meters.find("twinflow.records.received").tag("via", "mqtt").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    double deadLettered() {
        return meters.find("twinflow.dead.lettered").tag("topic", deadLetterTopic).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    @Test
    void anOversizedPayloadIsDeadLetteredCutToTheLimitWithItsReason() throws Exception {
        String topic = "Query/Response/HUGE_1";
        // a valid seed payload, but 200 KB of it (the limit is 128 KB): Kafka would refuse its record
        StringBuilder huge = new StringBuilder("{\"values\":[");
        for (int i = 0; huge.length() < 200 * 1024; i++) {
            huge.append(i == 0 ? "" : ",").append("{\"id\":\"ITEM_").append(i).append("\",\"values\":[1.5]}");
        }
        huge.append("]}");
        deadLetters.expectedMessageCount(1);
        readings.expectedMessageCount(1);

        assertThat(publish(topic, huge.toString()).getException()).isNull();
        assertThat(publish(topic, "{\"values\":[{\"id\":\"SMALL\",\"values\":[2]}]}")
                        .getException())
                .isNull();

        deadLetters.assertIsSatisfied(10_000);
        readings.assertIsSatisfied(10_000);
        Message letter = records(deadLetters).get(0);
        assertThat(letter.getBody(byte[].class)).hasSize(128 * 1024);
        assertThat(letter.getHeader("dlq_reason", String.class))
                .startsWith("payload of " + huge.length() + " bytes exceeds the limit of 131072 bytes");
        assertThat(letter.getHeader("dlq_original_topic")).isEqualTo(topic);
        List<Message> records = records(readings);
        assertThat(records).extracting(m -> m.getHeader(KafkaConstants.KEY)).containsExactly("HUGE_1");
        assertThat(Json.MAPPER
                        .readTree(records.get(0).getBody(byte[].class))
                        .get(0)
                        .get("data_id")
                        .asText())
                .as("the message after it goes on")
                .isEqualTo("SMALL");
    }

    @Test
    void aBatchKafkaRefusedFailsItsMessagesAndIsNotCountedAsTaken() throws Exception {
        double before = received();
        readings.whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("Kafka refused the batch");
        });

        Exchange refused;
        try {
            refused = publish("Query/Response/REFUSED_1", "{\"values\":[{\"id\":\"A\",\"values\":[1]}]}");
        } finally {
            readings.whenAnyExchangeReceived(e -> {});
        }

        assertThat(refused.getException())
                .as("the MQTT exchange fails: no PUBACK, processed again")
                .hasMessageContaining("Kafka refused the batch");
        assertThat(received() - before)
                .as("twinflow_records_received_total{via=mqtt}")
                .isZero();
    }
}
