package dev.twinflow.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.receive.MessageStore;
import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.Json;
import dev.twinflow.system.KafkaBatches;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;

/**
 * Processes one polled batch from {@code sim_data_topic}: stores the good records durably (one group
 * commit for the batch), feeds the delivery audit, and returns the poison ones as dead letters for
 * the route to publish before it commits the offsets.
 */
@Component("generatedRecordReceiver")
public class GeneratedRecordReceiver {

    /** Header on a dead letter: why the record was refused. */
    public static final String REASON = "dlq_reason";

    private final MessageStore messages;
    private final DeliveryAudit audit;
    private final boolean store;
    private final String nodeName;
    private final Clock clock;

    GeneratedRecordReceiver(
            MessageStore messages,
            DeliveryAudit audit,
            ReceiverProperties receiver,
            TwinflowProperties properties,
            Clock clock) {
        this.messages = messages;
        this.audit = audit;
        this.store = receiver.storeMessages();
        this.nodeName = properties.nodeName();
        this.clock = clock;
    }

    /**
     * @param batch the exchanges of one poll ({@code batching=true})
     * @return the dead letters: the original bytes, key and the reason, as messages for the producer
     */
    public List<Message> process(List<Exchange> batch, Exchange exchange) {
        KafkaBatches.remember(batch, exchange);
        long now = clock.millis();
        BigDecimal receivedAt = BigDecimal.valueOf(now, 3);
        List<byte[]> stored = new ArrayList<>(batch.size());
        List<DeliveryAudit.Received> audited = new ArrayList<>(batch.size());
        List<Message> deadLetters = new ArrayList<>();
        for (Exchange record : batch) {
            Message in = record.getMessage();
            byte[] value = in.getBody(byte[].class);
            ObjectNode json;
            try {
                json = Json.parseObject(value);
            } catch (RuntimeException e) {
                deadLetters.add(deadLetter(exchange, in, value, e.getMessage()));
                continue;
            }
            json.put("received_at", receivedAt).put("received_by", nodeName);
            stored.add(Json.bytes(json));
            Tracked tracked = Tracked.of(json);
            if (tracked != null) {
                Long ts = in.getHeader(KafkaConstants.TIMESTAMP, Long.class);
                audited.add(new DeliveryAudit.Received(tracked, ts == null ? -1 : now - ts));
            }
        }
        long logNext = -1;
        if (store && !stored.isEmpty()) {
            // durable before the audit counts it and before the commit
            logNext = messages.appendAll(stored) + stored.size();
        }
        audit.received(audited, now, logNext);
        return deadLetters;
    }

    private static Message deadLetter(Exchange exchange, Message original, byte[] value, String reason) {
        Message letter = new DefaultMessage(exchange.getContext());
        letter.setBody(value == null ? new byte[0] : value);
        Object key = original.getHeader(KafkaConstants.KEY);
        if (key != null) {
            letter.setHeader(KafkaConstants.KEY, key.toString());
        }
        letter.setHeader(REASON, reason == null ? "unreadable record" : reason);
        letter.setHeader("dlq_original_topic", original.getHeader(KafkaConstants.TOPIC, String.class));
        letter.setHeader("dlq_original_partition", String.valueOf(original.getHeader(KafkaConstants.PARTITION)));
        letter.setHeader("dlq_original_offset", String.valueOf(original.getHeader(KafkaConstants.OFFSET)));
        return letter;
    }
}
