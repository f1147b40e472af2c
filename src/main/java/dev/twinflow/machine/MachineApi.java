package dev.twinflow.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.embedded.MqttEngine;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.Json;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.springframework.stereotype.Component;

/** The seed's {@code POST /publish/} and {@code POST /connect/}. */
@Component("machineApi")
public class MachineApi {

    private final MqttEngine mqtt;

    MachineApi(MqttEngine mqtt) {
        this.mqtt = mqtt;
    }

    /**
     * Checks {@code {topic, payload}} and turns the exchange into the MQTT message to publish: the
     * payload as given when it is a string, as JSON text otherwise ({@code "{}"} when missing).
     */
    public void toMessage(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        ObjectNode request = Json.parseObject(body);
        JsonNode topic = request.path("topic");
        if (!topic.isTextual() || topic.asText().isEmpty()) {
            throw ApiException.unprocessable("invalid_topic", "'topic' must be a non-empty string");
        }
        if (topic.asText().contains("+") || topic.asText().contains("#")) {
            throw ApiException.unprocessable("invalid_topic", "cannot publish to a topic filter ('+' or '#')");
        }
        JsonNode payload = request.get("payload");
        String text = payload == null || payload.isNull()
                ? "{}"
                : payload.isTextual() ? payload.asText() : payload.toString();
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(PahoMqtt5Constants.CAMEL_PAHO_OVERRIDE_TOPIC, topic.asText());
        exchange.getMessage().setBody(text.getBytes(StandardCharsets.UTF_8));
        exchange.setProperty("publishedTopic", topic.asText());
    }

    public byte[] published(Exchange exchange) {
        return Json.bytes(Json.MAPPER
                .createObjectNode()
                .put("status", "published")
                .put("topic", exchange.getProperty("publishedTopic", String.class)));
    }

    /**
     * The seed reconnected to a broker given in the request; twinflow's broker is configuration (one
     * client id and persistent session per deployment), so this answers where it is connected and
     * how to change it.
     */
    public byte[] connect() {
        ObjectNode answer = Json.MAPPER.createObjectNode().put("rc_status", "configured");
        answer.put("broker_url", mqtt.url());
        answer.put(
                "detail",
                "the broker is set by twinflow.mqtt.broker-url (env TWINFLOW_MQTT_BROKER_URL; unset = embedded on "
                        + "twinflow.mqtt.embedded-port); change it and restart");
        return Json.bytes(answer);
    }
}
