package dev.twinflow.system;

import dev.twinflow.embedded.MqttEngine;
import dev.twinflow.export.HdfsStore;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /actuator/health} indicators of Kafka, the MQTT broker and the export file system (Redis's is
 * Spring Boot's).
 */
@Configuration(proxyBeanMethods = false)
class EngineHealth {

    /** The Kafka cluster answers (bean names end in HealthIndicator: a bean named kafka would shadow Camel's component). */
    @Bean("kafkaHealthIndicator")
    HealthIndicator kafkaHealth(KafkaLag kafka) {
        return kafka::health;
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

    /** The export root (or, before the first export, the file system's root) can be read. */
    @Bean("hdfsHealthIndicator")
    HealthIndicator hdfsHealth(HdfsStore hdfs) {
        return () -> {
            try {
                boolean exists = hdfs.exists(hdfs.root());
                return Health.up()
                        .withDetail("root", hdfs.root().toString())
                        .withDetail("exists", exists)
                        .build();
            } catch (Exception e) {
                return Health.down()
                        .withDetail("root", hdfs.root().toString())
                        .withDetail("error", e.toString())
                        .build();
            }
        };
    }
}
