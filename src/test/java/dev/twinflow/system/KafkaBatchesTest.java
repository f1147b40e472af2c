package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class KafkaBatchesTest {

    final DefaultCamelContext camel = new DefaultCamelContext();
    final List<String> committed = new ArrayList<>();

    Exchange record(int partition, long offset) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setHeader(KafkaConstants.PARTITION, partition);
        e.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        e.getMessage().setHeader(KafkaConstants.MANUAL_COMMIT, (KafkaManualCommit)
                () -> committed.add(partition + "@" + offset));
        return e;
    }

    @Test
    void commitsTheLastRecordOfEveryPartitionInTheBatch() {
        List<Exchange> batch = List.of(record(0, 10), record(1, 5), record(0, 11), record(2, 7), record(1, 6));
        Exchange exchange = new DefaultExchange(camel);
        KafkaBatches.remember(batch, exchange);

        new KafkaBatches().commit(exchange);

        assertThat(committed).containsExactlyInAnyOrder("0@11", "1@6", "2@7");
    }

    @Test
    void anEmptyBatchCommitsNothing() {
        Exchange exchange = new DefaultExchange(camel);
        KafkaBatches.remember(List.of(), exchange);
        new KafkaBatches().commit(exchange);
        assertThat(committed).isEmpty();
    }

    @Test
    void aBatchThatWasNotRememberedFailsLoudly() {
        assertThatThrownBy(() -> new KafkaBatches().commit(new DefaultExchange(camel)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("remember");
    }

    @Test
    void dueCommitsAreMadeInsteadOfTheBatchsOwn() {
        List<Exchange> batch = List.of(record(0, 10), record(0, 11));
        Exchange exchange = new DefaultExchange(camel);
        KafkaBatches.rememberDue(
                List.of(record(0, 4).getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class)),
                exchange);

        new KafkaBatches().commit(exchange);

        assertThat(batch).hasSize(2);
        assertThat(committed).containsExactly("0@4");
    }

    @Test
    void noDueCommitsCommitNothing() {
        Exchange exchange = new DefaultExchange(camel);
        KafkaBatches.rememberDue(List.of(), exchange);
        new KafkaBatches().commit(exchange);
        assertThat(committed).isEmpty();
    }

    @Test
    void aDueCommitOfAReplacedConsumerIsSkippedAndTheOthersAreMade() {
        Exchange exchange = new DefaultExchange(camel);
        KafkaManualCommit stale = () -> {
            throw new IllegalStateException("This consumer has already been closed.");
        };
        KafkaManualCommit current =
                record(1, 7).getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        KafkaBatches.rememberDue(List.of(stale, current), exchange);

        new KafkaBatches().commit(exchange);

        assertThat(committed).containsExactly("1@7");
    }
}
