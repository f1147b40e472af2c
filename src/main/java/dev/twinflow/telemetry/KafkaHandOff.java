package dev.twinflow.telemetry;

import dev.twinflow.telemetry.proto.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Counted packets as Kafka records for the {@code publish-telemetry} route, and the batches it had no room for. */
@Component("telemetryKafka")
class KafkaHandOff {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaHandOff.class);

    private final AtomicLong dropped = new AtomicLong();

    /**
     * One message per packet, key = device_id, value = the Packet's protobuf bytes: the Kafka component
     * takes the key of an iterable's element only from an element message.
     */
    public List<Message> records(List<Packet> packets, CamelContext camel) {
        List<Message> batch = new ArrayList<>(packets.size());
        for (Packet p : packets) {
            Message m = new DefaultMessage(camel);
            m.setHeader(KafkaConstants.KEY, p.getDeviceId());
            m.setBody(p.toByteArray());
            batch.add(m);
        }
        return batch;
    }

    /** Logs a flush's batch that found the queue to Kafka full: counted in Redis, not published. */
    public void dropped(List<Packet> packets) {
        long total = dropped.addAndGet(packets.size());
        LOG.warn(
                "Kafka is behind: {} counted packets not published to the telemetry topic ({} so far)",
                packets.size(),
                total);
    }
}
