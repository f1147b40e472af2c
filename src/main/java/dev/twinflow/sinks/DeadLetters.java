package dev.twinflow.sinks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.readings.MachineReading;
import dev.twinflow.system.Json;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

/** The readings a sink did not store, as dead-letter records with the reason and the sink in headers. */
@Component("sinkDeadLetters")
public class DeadLetters {

    @SuppressWarnings("unchecked")
    public List<SinkBatch.Rejected> rejected(Exchange exchange) {
        List<SinkBatch.Rejected> rejected = exchange.getProperty(SinkBatch.REJECTED, List.class);
        return rejected == null ? List.of() : rejected;
    }

    /**
     * Adds every reading of the batch to its rejections with {@code reason}: the store refused the batch
     * as a whole (InfluxDB's 400), so retrying it would stall the sink.
     */
    @SuppressWarnings("unchecked")
    public void rejectAll(Exchange exchange, String sink, String reason) {
        List<SinkBatch.Rejected> rejected = new ArrayList<>(rejected(exchange));
        for (MachineReading r : (List<MachineReading>) exchange.getProperty(SinkBatch.READINGS, List.class)) {
            ObjectNode json = Json.MAPPER
                    .createObjectNode()
                    .put("device_id", r.deviceId())
                    .put("data_id", r.dataId())
                    .put("value", r.value())
                    .put("value_text", r.valueText())
                    .put("ts", r.ts());
            rejected.add(new SinkBatch.Rejected(r.deviceId(), Json.bytes(json), reason, sink));
        }
        exchange.setProperty(SinkBatch.REJECTED, rejected);
    }

    /** Turns one rejection (the split body) into the record for the dead-letter topic. */
    public void toRecord(Exchange exchange) {
        Message m = exchange.getMessage();
        SinkBatch.Rejected r = m.getBody(SinkBatch.Rejected.class);
        m.setHeader("dlq_reason", r.reason());
        m.setHeader("dlq_sink", r.sink());
        m.setHeader("dlq_original_topic", "machine_data");
        if (r.key() != null) {
            m.setHeader(KafkaConstants.KEY, r.key());
        }
        m.setBody(r.payload());
    }
}
