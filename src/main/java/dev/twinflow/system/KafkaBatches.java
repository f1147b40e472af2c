package dev.twinflow.system;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.springframework.stereotype.Component;

/**
 * Manual commits of batching Kafka consumers: a batch's commit is remembered when it arrives and
 * made by the route's last step ({@code kafkaBatches.commit}), after everything else succeeded.
 */
@Component("kafkaBatches")
public class KafkaBatches {

    private static final String COMMIT = "twinflowBatchCommit";

    /** Keeps the commit of the batch's last record on the batch exchange. */
    public static void remember(List<Exchange> batch, Exchange exchange) {
        if (!batch.isEmpty()) {
            exchange.setProperty(
                    COMMIT,
                    batch.get(batch.size() - 1)
                            .getMessage()
                            .getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class));
        }
    }

    /** Commits the batch's offsets: called last, after storing and dead-lettering succeeded. */
    public void commit(Exchange exchange) {
        KafkaManualCommit commit = exchange.getProperty(COMMIT, KafkaManualCommit.class);
        if (commit == null) {
            throw new IllegalStateException("no manual commit on the batch: is allowManualCommit=true set?");
        }
        commit.commit();
    }
}
