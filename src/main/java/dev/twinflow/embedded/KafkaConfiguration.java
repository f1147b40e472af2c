package dev.twinflow.embedded;

import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.Engine;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Starts or connects the Kafka engine and points Camel's kafka component at it. */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    @Bean(destroyMethod = "close")
    KafkaEngine kafkaEngine(KafkaSettings settings, TwinflowProperties twinflow) throws Exception {
        return new KafkaEngine(settings, twinflow);
    }

    @Bean
    Engine kafkaEngineReport(KafkaEngine kafka) {
        return kafka.describe();
    }

    /** The Kafka cluster answers (bean names end in HealthIndicator: a bean named kafka would shadow Camel's component). */
    @Bean("kafkaHealthIndicator")
    HealthIndicator kafkaHealth(KafkaLag kafka) {
        return kafka::health;
    }

    /** Every kafka: endpoint talks to this engine; routes name only topics. */
    @Bean
    ComponentCustomizer kafkaBrokers(KafkaEngine kafka) {
        return ComponentCustomizer.forType(
                KafkaComponent.class, component -> component.getConfiguration().setBrokers(kafka.bootstrapServers()));
    }
}
