package dev.twinflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.AppIT;
import dev.twinflow.receive.MessageStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The receive-generated-records route without a Kafka consumer: a polled batch is handed in directly,
 * the dead-letter producer is a mock. The offsets are committed only after the batch is stored and its
 * dead letters are out, and not at all when the dead letters cannot be sent.
 */
@CamelSpringBootTest
@UseAdviceWith
class ReceiveGeneratedRecordsRouteIT extends AppIT {

    private static final String BATCHES = "direct:polled-generated-records";

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    MessageStore messages;

    @Value("${twinflow.kafka.dead-letter-topic}")
    String deadLetterTopic;

    MockEndpoint deadLetters;

    @BeforeEach
    void advise() throws Exception {
        // one context for the class: advised and started once
        if (!camel.getStatus().isStarted()) {
            AdviceWith.adviceWith(camel, "receive-generated-records", a -> {
                a.replaceFromWith(BATCHES);
                // a regular expression: the route's endpoint is kafka://<topic>?<its parameters>
                a.interceptSendToEndpoint("kafka:(//)?" + Pattern.quote(deadLetterTopic) + "(\\?.*)?")
                        .skipSendToOriginalEndpoint()
                        .to("mock:dead-letters");
            });
            camel.start();
        }
        deadLetters = camel.getEndpoint("mock:dead-letters", MockEndpoint.class);
        deadLetters.reset();
    }

    /** A manual commit that notes how many messages the log held when it was made. */
    final class Commit implements KafkaManualCommit {
        long storedAtCommit = -1;

        @Override
        public void commit() {
            storedAtCommit = messages.size();
        }
    }

    private Exchange record(int partition, long offset, String value, Commit commit) {
        Exchange e = new DefaultExchange(camel);
        Message m = e.getMessage();
        m.setBody(value.getBytes(StandardCharsets.UTF_8));
        m.setHeader(KafkaConstants.KEY, "route-it-source");
        m.setHeader(KafkaConstants.TOPIC, "sim_data_topic");
        m.setHeader(KafkaConstants.PARTITION, partition);
        m.setHeader(KafkaConstants.OFFSET, offset);
        m.setHeader(KafkaConstants.TIMESTAMP, System.currentTimeMillis());
        m.setHeader(KafkaConstants.MANUAL_COMMIT, commit);
        return e;
    }

    private static String generated(String run, int seq) {
        return "{\"kind\":\"sensor\",\"run\":\"" + run + "\",\"source\":\"route-it-source\",\"seq\":" + seq + "}";
    }

    @Test
    void storesTheBatchDeadLettersThePoisonAndCommitsOnlyAfterBoth() throws Exception {
        deadLetters.expectedMessageCount(1);
        Commit partition0 = new Commit();
        Commit partition1 = new Commit();
        long before = messages.size();
        List<Exchange> batch = new ArrayList<>(List.of(
                record(0, 10, generated("route-it", 1), partition0),
                record(1, 20, "not json at all", partition1),
                record(0, 11, generated("route-it", 2), partition0)));

        Exchange done = producer.send(BATCHES, e -> e.getMessage().setBody(batch));

        assertThat(done.getException()).isNull();
        deadLetters.assertIsSatisfied();
        @SuppressWarnings("unchecked")
        List<Message> letters = deadLetters.getExchanges().get(0).getMessage().getBody(List.class);
        assertThat(letters).hasSize(1);
        Message letter = letters.get(0);
        assertThat(new String(letter.getBody(byte[].class), StandardCharsets.UTF_8))
                .isEqualTo("not json at all");
        assertThat(letter.getHeader(GeneratedRecordReceiver.REASON, String.class))
                .contains("not valid JSON");
        assertThat(letter.getHeader("dlq_original_offset", String.class)).isEqualTo("20");
        // both good records durable before either partition's offsets are committed
        assertThat(messages.size()).isEqualTo(before + 2);
        assertThat(partition0.storedAtCommit).isEqualTo(before + 2);
        assertThat(partition1.storedAtCommit).isEqualTo(before + 2);
        String stored = new String(messages.read(Long.toString(before), "2"), StandardCharsets.UTF_8);
        assertThat(stored).contains("\"seq\":1", "\"seq\":2", "received_at");
    }

    @Test
    void doesNotCommitWhenTheDeadLettersCannotBeSent() throws Exception {
        deadLetters.whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("dead-letter topic unreachable");
        });
        Commit commit = new Commit();
        List<Exchange> batch = new ArrayList<>(
                List.of(record(0, 30, generated("route-it-2", 1), commit), record(0, 31, "{broken", commit)));

        Exchange done = producer.send(BATCHES, e -> e.getMessage().setBody(batch));

        assertThat(done.getException()).hasMessageContaining("dead-letter topic unreachable");
        // polled again from the batch's first record: nothing committed
        assertThat(commit.storedAtCommit).isEqualTo(-1);
    }
}
