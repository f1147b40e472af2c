package dev.twinflow.machine;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import dev.twinflow.machine.Mqtt5Component.Mqtt5Settings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** HiveMQ MQTT 5 client builders from a broker URL and a {@code mqtt5:} endpoint's settings. */
final class Mqtt5Clients {

    private Mqtt5Clients() {}

    /**
     * A builder for {@code broker}: {@code tcp://host[:1883]}, or {@code ssl://} / {@code mqtts://host[:8883]}
     * with the JVM's default trust; {@code user:password@} in the URL becomes the simple auth (kept for
     * reconnects); the socket and the MQTT connect time out after {@code connectTimeoutMs}.
     */
    static Mqtt5ClientBuilder builder(Mqtt5Settings settings, URI broker) {
        boolean tls = "ssl".equals(broker.getScheme()) || "mqtts".equals(broker.getScheme());
        if (!tls && !"tcp".equals(broker.getScheme()) && !"mqtt".equals(broker.getScheme())) {
            throw new IllegalArgumentException(
                    "mqtt5: broker URL must be tcp://, mqtt://, ssl:// or mqtts://, was " + broker);
        }
        int port = broker.getPort() > 0 ? broker.getPort() : tls ? 8883 : 1883;
        Mqtt5ClientBuilder builder = Mqtt5Client.builder()
                .identifier(settings.clientId())
                .serverHost(broker.getHost())
                .serverPort(port)
                .transportConfig()
                .socketConnectTimeout(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS)
                .mqttConnectTimeout(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS)
                .applyTransportConfig();
        if (tls) {
            builder = builder.sslWithDefaultConfig();
        }
        String userInfo = broker.getRawUserInfo() == null ? null : broker.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            builder = builder.simpleAuth()
                    .username(colon < 0 ? userInfo : userInfo.substring(0, colon))
                    .password((colon < 0 ? "" : userInfo.substring(colon + 1)).getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        return builder;
    }

    /** Subscribes {@code client} to the endpoint's topic filter, QoS 1. */
    static CompletableFuture<Mqtt5SubAck> subscribe(Mqtt5AsyncClient client, Mqtt5Settings settings) {
        return client.subscribeWith()
                .topicFilter(settings.topicFilter())
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
    }

    /** Disconnects {@code client} if it is connected, waiting at most the connect timeout; never throws. */
    static void disconnectQuietly(Mqtt5AsyncClient client, Mqtt5Settings settings) {
        try {
            client.disconnect().get(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // not connected, or the connection is gone already: nothing to end
        }
    }
}
