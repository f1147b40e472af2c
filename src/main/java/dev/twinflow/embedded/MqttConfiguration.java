package dev.twinflow.embedded;

import dev.twinflow.system.TwinflowProperties;
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
}
