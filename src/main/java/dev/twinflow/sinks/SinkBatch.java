package dev.twinflow.sinks;

import dev.twinflow.readings.MachineReading;
import dev.twinflow.readings.ReadingArray;
import dev.twinflow.system.Json;
import dev.twinflow.system.KafkaBatches;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The readings of one polled {@code machine_data} batch, and those a store cannot take, each with its
 * reason (they go to the dead-letter topic, so a bad reading never stalls a sink). Remembers the
 * batch's commits for {@code kafkaBatches.commit}.
 */
record SinkBatch(List<MachineReading> readings, List<Rejected> rejected) {

    static final String REJECTED = "twinflowRejected";
    static final String READINGS = "twinflowReadings";
    /** Readings to store in this batch: what the routes' filters test (cheaper than asking the body). */
    static final String TO_STORE = "twinflowToStore";

    /** A reading (or a whole record) a sink did not store. */
    record Rejected(String key, byte[] payload, String reason, String sink) {}

    /**
     * @param check the store's own limits: a reason when it cannot take the reading, else null
     */
    static SinkBatch of(List<Exchange> batch, Exchange exchange, String sink, Function<MachineReading, String> check) {
        KafkaBatches.remember(batch, exchange);
        List<MachineReading> readings = new ArrayList<>(batch.size() * 4);
        List<Rejected> rejected = new ArrayList<>();
        List<MachineReading> parsed = new ArrayList<>(16);
        List<ReadingArray.Invalid> invalid = new ArrayList<>(0);
        for (Exchange record : batch) {
            byte[] body = record.getMessage().getBody(byte[].class);
            String key = record.getMessage().getHeader(KafkaConstants.KEY, String.class);
            parsed.clear();
            invalid.clear();
            if (!ReadingArray.read(body, parsed, invalid)) {
                rejected.add(
                        new Rejected(key, body == null ? new byte[0] : body, "not a JSON array of readings", sink));
                continue;
            }
            for (MachineReading r : parsed) {
                String reason = check.apply(r);
                if (reason == null) {
                    readings.add(r);
                } else {
                    rejected.add(new Rejected(key, Json.bytes(r.toJson()), reason, sink));
                }
            }
            for (ReadingArray.Invalid bad : invalid) {
                rejected.add(new Rejected(key, bad.json(), bad.reason(), sink));
            }
        }
        exchange.setProperty(REJECTED, rejected);
        exchange.setProperty(READINGS, readings);
        exchange.setProperty(TO_STORE, readings.size());
        return new SinkBatch(readings, rejected);
    }
}
