package dev.twinflow.system;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Manual commits of batching Kafka consumers: a batch's commit is remembered when it arrives and
 * made by the route's last step ({@code kafkaBatches.commit}), after everything else succeeded.
 */
@Component("kafkaBatches")
public class KafkaBatches {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBatches.class);
    private static final String COMMIT = "twinflowBatchCommit";
    private static final String DUE = "twinflowDueCommits";

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

    /**
     * Keeps the commits that became due while the batch was handled, instead of the batch's own: for a
     * consumer whose work spans batches (a file is committed once it is published). A due commit of a
     * consumer since replaced (a reconnect, a rebalance) fails; it is skipped, as the partition's next one
     * covers it.
     */
    public static void rememberDue(Collection<KafkaManualCommit> due, Exchange exchange) {
        exchange.setProperty(DUE, List.copyOf(due));
    }

    /**
     * Commits the batch's offsets, or the due commits where the route remembered those: called last, after
     * storing and dead-lettering succeeded.
     */
    @SuppressWarnings("unchecked")
    public void commit(Exchange exchange) {
        List<KafkaManualCommit> due = exchange.getProperty(DUE, List.class);
        if (due != null) {
            commitDue(due);
            return;
        }
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

    private static void commitDue(List<KafkaManualCommit> due) {
        for (KafkaManualCommit commit : due) {
            try {
                commit.commit();
            } catch (RuntimeException e) {
                LOG.debug("commit of an earlier consumer skipped: {}", e.toString());
            }
        }
    }
}
