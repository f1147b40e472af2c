package dev.twinflow.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.readings.MachineReading;
import dev.twinflow.system.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;

/**
 * Turns MQTT messages of the seed's shape {@code {"values":[{"id":"X","values":[v, ...]}]}} on
 * topic {@code .../<device>} into readings {@code {device_id, data_id, value, ts}}: one Kafka record
 * per message (key = device id, value = the JSON array of its readings). Like the seed, the first of
 * an item's values is the reading; a value that is not a number is kept as text in {@code value_text}
 * ({@code value} is then null), not dropped. Each message's readings carry its receive time {@code ts}
 * (ms), distinct per device, so (device, data id, ts) names a reading in every store.
 */
@Component("machineReadings")
public class MachineReadings {

    static final String DLQ_REASON = "dlq_reason";
    static final String DLQ_ORIGINAL_TOPIC = "dlq_original_topic";

    private final Clock clock;
    // a device's readings get distinct times (ms) even when it sends twice in one ms: (device, data id,
    // ts) is the key the stores keep a reading under
    private final java.util.concurrent.ConcurrentHashMap<String, Long> lastTs =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** MQTT messages taken, counted per batch (the MQTT route itself has no per-message metrics). */
    private final Counter received;

    /** Largest payload taken as machine data (twinflow.machine.max-payload-size). */
    private final int maxPayload;

    MachineReadings(Clock clock, MeterRegistry meters, MachineProperties properties) {
        this.clock = clock;
        this.maxPayload = (int)
                Math.min(Integer.MAX_VALUE - 8, properties.maxPayloadSize().toBytes());
        this.received =
                Counter.builder("twinflow.records.received").tag("via", "mqtt").register(meters);
    }

    /** Exchange property: the batch's MQTT messages (an {@code Integer}). */
    public static final String MESSAGES = "twinflowMessages";
    /** Exchange property: the batch's readings records sent to Kafka (an {@code Integer}). */
    public static final String RECORDS = "twinflowRecords";
    /** Exchange property: the batch's dead letters ({@code List<Message>}, empty when none). */
    public static final String DEAD_LETTERS = "twinflowDeadLetters";
    /** Exchange property: how many dead letters (an {@code Integer}). */
    public static final String DEAD_LETTER_COUNT = "twinflowDeadLetterCount";

    /**
     * A batch of MQTT messages (topic header, payload body) as Kafka records: the body becomes the
     * readings records, one per message that is machine data (key = device id, value = its readings); the
     * others become dead letters in property {@link #DEAD_LETTERS} (key = MQTT topic, value = the
     * payload, headers {@code dlq_reason} and {@code dlq_original_topic}).
     */
    public void toRecords(List<Message> messages, Exchange exchange) {
        List<Message> records = new ArrayList<>(messages.size());
        List<Message> deadLetters = new ArrayList<>(0);
        for (Message mqtt : messages) {
            String topic = mqtt.getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class);
            byte[] payload = mqtt.getBody(byte[].class);
            Message record = new DefaultMessage(exchange);
            if (payload != null && payload.length > maxPayload) {
                deadLetters.add(deadLetter(
                        record,
                        topic,
                        Arrays.copyOf(payload, maxPayload),
                        "payload of " + payload.length + " bytes exceeds the limit of " + maxPayload
                                + " bytes (twinflow.machine.max-payload-size); the dead letter keeps its first "
                                + maxPayload + " bytes"));
                continue;
            }
            try {
                String device = topic == null ? "" : topic.substring(topic.lastIndexOf('/') + 1);
                long ts = device.isEmpty()
                        ? clock.millis()
                        : lastTs.merge(device, clock.millis(), (last, now) -> Math.max(last + 1, now));
                record.setBody(readings(device, payload, ts));
                record.setHeader(KafkaConstants.KEY, device);
                records.add(record);
            } catch (BadPayload e) {
                deadLetters.add(deadLetter(record, topic, payload == null ? new byte[0] : payload, e.getMessage()));
            }
        }
        exchange.setProperty(MESSAGES, messages.size());
        exchange.getMessage().setBody(records);
        exchange.setProperty(RECORDS, records.size());
        exchange.setProperty(DEAD_LETTERS, deadLetters);
        exchange.setProperty(DEAD_LETTER_COUNT, deadLetters.size());
    }

    private static Message deadLetter(Message record, String topic, byte[] body, String reason) {
        record.setBody(body);
        record.setHeader(KafkaConstants.KEY, topic);
        record.setHeader(DLQ_REASON, reason);
        record.setHeader(DLQ_ORIGINAL_TOPIC, topic);
        return record;
    }

    /** Counts the batch's MQTT messages as taken: the route's last step, once Kafka has them all. */
    public void taken(Exchange exchange) {
        received.increment(exchange.getProperty(MESSAGES, 0, Integer.class));
    }

    /** The readings of one message as the JSON array the Kafka record carries. */
    static byte[] readings(String device, byte[] payload, long ts) {
        if (device.isEmpty()) {
            throw new BadPayload("the topic has no device id as its last level");
        }
        byte[] fast = SeedBytes.readings(device, payload, ts);
        if (fast == null) {
            fast = SeedPayload.readings(device, payload, ts);
        }
        return fast != null ? fast : Json.bytes(tree(device, payload, ts));
    }

    /** Any payload, through a JSON tree: what the fast path leaves, and every refusal with its reason. */
    static ArrayNode tree(String device, byte[] payload, long ts) {
        JsonNode root;
        try {
            root = payload == null || payload.length == 0 ? null : Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new BadPayload(
                    "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.path("values").isArray()) {
            throw new BadPayload("expected {\"values\":[{\"id\":...,\"values\":[...]}]}");
        }
        ArrayNode readings = Json.MAPPER.createArrayNode();
        for (JsonNode item : root.get("values")) {
            JsonNode id = item.path("id");
            JsonNode values = item.path("values");
            if (!id.isValueNode() || id.isNull() || !values.isArray() || values.isEmpty()) {
                throw new BadPayload("every item needs an 'id' and a non-empty 'values' array, got " + item);
            }
            JsonNode v = values.get(0);
            ObjectNode r =
                    readings.addObject().put(MachineReading.DEVICE_ID, device).put(MachineReading.DATA_ID, id.asText());
            if (v.isNumber()) {
                r.set(MachineReading.VALUE, v);
                r.putNull(MachineReading.VALUE_TEXT);
            } else {
                r.putNull(MachineReading.VALUE);
                r.put(MachineReading.VALUE_TEXT, v.isTextual() ? v.asText() : v.toString());
            }
            r.put(MachineReading.TS, ts);
        }
        if (readings.isEmpty()) {
            throw new BadPayload("'values' is empty");
        }
        return readings;
    }
}
