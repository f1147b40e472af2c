package dev.twinflow.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.readings.MachineReading;
import dev.twinflow.system.Json;
import java.io.IOException;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.springframework.stereotype.Component;

/**
 * Turns one MQTT message of the seed's shape {@code {"values":[{"id":"X","values":[v, ...]}]}} on
 * topic {@code .../<device>} into readings {@code {device_id, data_id, value, ts}}: one Kafka record
 * per message (key = device id, value = the JSON array of its readings). Like the seed, the first of
 * an item's values is the reading; a value that is not a number is kept as text in {@code value_text}
 * ({@code value} is then null), not dropped. Each message's readings carry its receive time {@code ts}
 * (ms), distinct per device, so (device, data id, ts) names a reading in every store.
 */
@Component("machineReadings")
public class MachineReadings {

    private final Clock clock;
    // a device's readings get distinct times (ms) even when it sends twice in one ms: (device, data id,
    // ts) is the key the stores keep a reading under
    private final java.util.concurrent.ConcurrentHashMap<String, Long> lastTs =
            new java.util.concurrent.ConcurrentHashMap<>();

    MachineReadings(Clock clock) {
        this.clock = clock;
    }

    public void toReadings(Exchange exchange) {
        String topic = exchange.getMessage().getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class);
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        String device = topic == null ? "" : topic.substring(topic.lastIndexOf('/') + 1);
        long ts = device.isEmpty()
                ? clock.millis()
                : lastTs.merge(device, clock.millis(), (last, now) -> Math.max(last + 1, now));
        exchange.getMessage().setBody(readings(device, payload, ts));
        exchange.getMessage().setHeader(KafkaConstants.KEY, device);
    }

    /** The readings of one message as the JSON array the Kafka record carries. */
    static byte[] readings(String device, byte[] payload, long ts) {
        if (device.isEmpty()) {
            throw new BadPayload("the topic has no device id as its last level");
        }
        byte[] fast = SeedPayload.readings(device, payload, ts);
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
