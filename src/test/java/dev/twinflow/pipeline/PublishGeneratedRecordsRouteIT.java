package dev.twinflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.AppIT;
import dev.twinflow.system.Json;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The publish-generated-records route with a mock in Kafka's place: a refused chunk is sent again and
 * counted once acknowledged (and only then audited as sent); a stopped run gives its failing chunks up.
 */
@CamelSpringBootTest
@UseAdviceWith
class PublishGeneratedRecordsRouteIT extends AppIT {

    @Autowired
    CamelContext camel;

    @Autowired
    Scenarios scenarios;

    @Autowired
    AuditReport audit;

    @Value("${twinflow.kafka.topic}")
    String topic;

    MockEndpoint kafka;

    @BeforeEach
    void advise() throws Exception {
        // one context for the class: advised and started once
        if (!camel.getStatus().isStarted()) {
            AdviceWith.adviceWith(camel, Scenarios.PUBLISH_ROUTE, a -> a.interceptSendToEndpoint(
                            "kafka:(//)?" + Pattern.quote(topic) + "(\\?.*)?")
                    .skipSendToOriginalEndpoint()
                    .to("mock:kafka"));
            camel.start();
        }
        kafka = camel.getEndpoint("mock:kafka", MockEndpoint.class);
        kafka.reset();
    }

    private ObjectNode lastRun(String name) {
        return (ObjectNode) Json.parseObject(scenarios.status(name)).get("last_run");
    }

    private String start(String name, long limit) {
        scenarios.define(
                name, "name: " + name + "\nrate: 0\nlimit: " + limit + "\ndevices: 2\nusers: 0\nmix: {sensor: 1}\n");
        return Json.parseObject(scenarios.start(name, null))
                .get("last_run")
                .get("run")
                .asText();
    }

    @Test
    void aRefusedChunkIsSentAgainAndAuditedOnceKafkaTakesIt() {
        kafka.whenExchangeReceived(1, e -> {
            throw new IllegalStateException("broker away");
        });
        String run = start("retried", 1500);

        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> lastRun("retried").get("state").asText().equals("finished"));
        ObjectNode status = lastRun("retried");
        assertThat(status.get("acknowledged").asLong()).isEqualTo(1500);
        assertThat(status.get("delivery_failures").asLong()).isEqualTo(1000);
        assertThat(status.get("last_error").asText()).contains("broker away");
        assertThat(status.get("in_flight_chunks").asLong()).isZero();
        // two chunks (1000 and 500 records), the first one twice
        assertThat(kafka.getReceivedCounter()).isEqualTo(3);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> audit.totals(run).getOrDefault("sent", -1L) == 1500);
    }

    @Test
    void aStoppedRunGivesUpItsRefusedChunks() {
        kafka.whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("broker away");
        });
        String run = start("given-up", 5000);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> lastRun("given-up").get("delivery_failures").asLong() > 0);

        scenarios.stop("given-up");

        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> lastRun("given-up").get("state").asText().equals("stopped"));
        ObjectNode status = lastRun("given-up");
        assertThat(status.get("acknowledged").asLong()).isZero();
        assertThat(status.get("in_flight_chunks").asLong()).isZero();
        assertThat(audit.totals(run).getOrDefault("sent", 0L)).isZero();
    }
}
