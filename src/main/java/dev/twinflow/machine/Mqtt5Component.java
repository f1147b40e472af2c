package dev.twinflow.machine;

import dev.twinflow.embedded.MqttEngine;
import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@code mqtt5:<topic filter>}: subscribes (QoS 1) with the HiveMQ MQTT client, on the broker of {@link
 * MqttEngine} (embedded, or {@code twinflow.mqtt.broker-url}). Each message is an exchange (body: the
 * payload, header {@code CamelMqttTopic}); its PUBACK goes out only when the exchange completes; a
 * failed exchange is processed again after a back-off (1 s, doubling to 30 s) until it completes, so a
 * message is never acknowledged unhandled nor left holding a slot of the receive window.
 *
 * <p>Options: {@code clientId} (stable: the session outlives restarts), {@code cleanStart} (false),
 * {@code sessionExpiryInterval} (s, 86400), {@code receiveMaximum} (unacknowledged messages the broker
 * may send, 65535), {@code connectTimeoutMs} (5000). A start fails when the broker does not answer, so
 * {@code MqttRoutes} retries it; once connected, the client reconnects by itself (0.5 s doubling to
 * 10 s) and the broker resends what was not acknowledged. The route runs on the client's I/O thread up
 * to its first asynchronous step (twinflow's ingest: the hand-over to {@code batch:}), so a step that
 * blocks there holds back further messages and the PUBACKs, which go out on the same thread.
 *
 * <p>Camel's paho-mqtt5 consumer does the same with Paho, whose receiver reads each payload byte by byte:
 * in twinflow's ingest this client (Netty) takes 9% of a core where Paho took 35% (bench/machine).
 */
@Component("mqtt5")
public final class Mqtt5Component extends DefaultComponent {

    private final Supplier<String> brokerUrl;

    @Autowired
    Mqtt5Component(MqttEngine mqtt) {
        this(mqtt::url);
    }

    /** On the broker at {@code brokerUrl} ({@code tcp://host:port}, {@code ssl://...}), read at each start. */
    Mqtt5Component(Supplier<String> brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        Mqtt5Settings settings = new Mqtt5Settings(
                remaining,
                getAndRemoveParameter(parameters, "clientId", String.class, "twinflow-" + remaining.hashCode()),
                getAndRemoveParameter(parameters, "cleanStart", Boolean.class, false),
                getAndRemoveParameter(parameters, "sessionExpiryInterval", Long.class, 86_400L),
                getAndRemoveParameter(parameters, "receiveMaximum", Integer.class, 65_535),
                getAndRemoveParameter(parameters, "connectTimeoutMs", Long.class, 5_000L));
        return new Mqtt5Endpoint(uri, this, settings);
    }

    /** The broker's address, read at each connect: the embedded broker's port is known once it runs. */
    URI broker() {
        return URI.create(brokerUrl.get());
    }

    /** What a {@code mqtt5:} endpoint was given. */
    record Mqtt5Settings(
            String topicFilter,
            String clientId,
            boolean cleanStart,
            long sessionExpiryInterval,
            int receiveMaximum,
            long connectTimeoutMs) {

        Mqtt5Settings {
            if (topicFilter.isBlank()) {
                throw new IllegalArgumentException("mqtt5: needs a topic filter, as in mqtt5:Query/Response/+");
            }
            if (receiveMaximum < 1 || receiveMaximum > 65_535) {
                throw new IllegalArgumentException("mqtt5: receiveMaximum must be 1..65535, was " + receiveMaximum);
            }
            if (sessionExpiryInterval < 0 || sessionExpiryInterval > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException(
                        "mqtt5: sessionExpiryInterval must be 0..4294967295 s, was " + sessionExpiryInterval);
            }
        }
    }

    /** A subscription: consumers only. */
    static final class Mqtt5Endpoint extends DefaultEndpoint {

        private final Mqtt5Settings settings;

        Mqtt5Endpoint(String uri, Mqtt5Component component, Mqtt5Settings settings) {
            super(uri, component);
            this.settings = settings;
        }

        Mqtt5Settings settings() {
            return settings;
        }

        @Override
        public Mqtt5Component getComponent() {
            return (Mqtt5Component) super.getComponent();
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("mqtt5: subscribes only; publish with paho-mqtt5:");
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            Mqtt5Consumer consumer = new Mqtt5Consumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
    }
}
