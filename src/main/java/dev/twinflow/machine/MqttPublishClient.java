package dev.twinflow.machine;

import dev.twinflow.embedded.MqttEngine;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The client {@code POST /publish/} sends with ({@code client=#machinePublishClient} on its paho-mqtt5
 * endpoint): connected in the background, again every 2 s until the broker answers, then kept connected
 * by Paho. A broker that is down at start never stops the app; publishing fails (an error answer) only
 * while it is away.
 */
@Configuration(proxyBeanMethods = false)
class MqttPublishClient {

    private static final Logger LOG = LoggerFactory.getLogger(MqttPublishClient.class);

    @Bean(destroyMethod = "")
    MqttClient machinePublishClient(MqttEngine mqtt, @Value("${twinflow.machine.client-id}") String clientId)
            throws MqttException {
        // unique: every replica publishes with its own connection
        MqttClient client = new MqttClient(
                mqtt.url(),
                clientId + "-publisher-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        Thread connect = new Thread(
                () -> {
                    while (!client.isConnected()) {
                        try {
                            client.connect(options);
                        } catch (MqttException e) {
                            LOG.debug("MQTT publish client: broker {} not reachable yet: {}", mqtt.url(), e.toString());
                            try {
                                Thread.sleep(2000);
                            } catch (InterruptedException interrupted) {
                                return;
                            }
                        }
                    }
                },
                "mqtt-publish-connect");
        connect.setDaemon(true);
        connect.start();
        return client;
    }
}
