package dev.twinflow.system;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
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

    /**
     * Keeps the commits of the batch's last record in each partition on the batch exchange (a record's
     * commit covers only its own partition).
     */
    public static void remember(List<Exchange> batch, Exchange exchange) {
        Map<Integer, KafkaManualCommit> last = new LinkedHashMap<>();
        for (Exchange record : batch) {
            Message m = record.getMessage();
            last.put(
                    m.getHeader(KafkaConstants.PARTITION, Integer.class),
                    m.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class));
        }
        exchange.setProperty(COMMIT, last);
    }

    /** Commits the batch's offsets: called last, after storing and dead-lettering succeeded. */
    @SuppressWarnings("unchecked")
    public void commit(Exchange exchange) {
        Map<Integer, KafkaManualCommit> commits = exchange.getProperty(COMMIT, Map.class);
        if (commits == null) {
            throw new IllegalStateException("no batch remembered: does the route call KafkaBatches.remember?");
        }
        for (KafkaManualCommit commit : commits.values()) {
            if (commit == null) {
                throw new IllegalStateException("no manual commit on the batch: is allowManualCommit=true set?");
            }
            commit.commit();
        }
    }
}
