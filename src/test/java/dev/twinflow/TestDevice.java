package dev.twinflow;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** A machine as seed 004 has it: a real Paho MQTT 5 client with a clean session, publishing at QoS 1. */
public final class TestDevice implements AutoCloseable {

    private final MqttClient client;

    private TestDevice(MqttClient client) {
        this.client = client;
    }

    /** Connects to {@code brokerUrl} as a new client whose id starts with {@code idPrefix}. */
    public static TestDevice connect(String brokerUrl, String idPrefix) throws MqttException {
        MqttClient client = new MqttClient(brokerUrl, idPrefix + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        return new TestDevice(client);
    }

    /** Publishes at QoS 1; returns after the broker's PUBACK. */
    public void publish(String topic, String payload) throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        client.publish(topic, m);
    }

    /** The Paho client, for subscriptions. */
    public MqttClient client() {
        return client;
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}
