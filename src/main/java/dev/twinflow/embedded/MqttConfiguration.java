package dev.twinflow.embedded;

import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.Engine;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts or connects the MQTT broker. Camel's paho-mqtt5 component is pointed at it through {@code
 * camel.component.paho-mqtt5.broker-url}, which {@code FreePorts} derives before start-up.
 */
@Configuration(proxyBeanMethods = false)
class MqttConfiguration {

    @Bean(destroyMethod = "close")
    MqttEngine mqttEngine(MqttSettings settings, TwinflowProperties twinflow) throws Exception {
        return new MqttEngine(settings, twinflow);
    }

    @Bean
    Engine mqttEngineReport(MqttEngine mqtt) {
        return mqtt.describe();
    }

    /** The broker accepts TCP connections within a second. */
    @Bean("mqttHealthIndicator")
    HealthIndicator mqttHealth(MqttEngine mqtt) {
        return () -> {
            URI url = URI.create(mqtt.url());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 1883 : url.getPort()), 1000);
                return Health.up().withDetail("broker", mqtt.url()).build();
            } catch (Exception e) {
                return Health.down()
                        .withDetail("broker", mqtt.url())
                        .withDetail("error", e.toString())
                        .build();
            }
        };
    }
}
