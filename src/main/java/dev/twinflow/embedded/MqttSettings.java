package dev.twinflow.embedded;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The MQTT broker, under {@code twinflow.mqtt.}.
 *
 * @param brokerUrl the broker to use, e.g. {@code tcp://mqtt:1883}; unset starts a real MQTT 5 broker
 *     (HiveMQ Community Edition) in-process, keeping sessions under {@code <data-dir>/mqtt}; env {@code
 *     TWINFLOW_MQTT_BROKER_URL}
 * @param embeddedPort port of that broker (0 = any free port); env {@code TWINFLOW_MQTT_EMBEDDED_PORT}
 * @param maxQueuedMessages QoS 1 messages the embedded broker queues per client (online behind, or
 *     offline with a persistent session) before it drops new ones; HiveMQ's default of 1,000 drops
 *     messages as soon as a burst outruns the ingest
 * @param embeddedMaxInflight QoS 1 messages the embedded broker keeps in flight per client, each way
 *     (its Receive Maximum towards publishers, its send window towards subscribers); HiveMQ's 50
 *     towards a subscriber caps a Kafka-acknowledged ingest at ~1,100 messages/s, 1,000 at ~5,500
 *     (bench/machine: 10,000 took 1.3-1.4x the messages, publish-to-count latency 1.2 s instead of 5.5 s);
 *     HiveMQ reads a queue at most 5 MB at a time whatever this is
 */
@Validated
@ConfigurationProperties("twinflow.mqtt")
public record MqttSettings(
        String brokerUrl,
        @Min(0) @Max(65535) @DefaultValue("1883") int embeddedPort,
        @Min(1) @DefaultValue("1000000") long maxQueuedMessages,
        @Min(1) @Max(65535) @DefaultValue("10000") int embeddedMaxInflight) {

    public boolean embedded() {
        return brokerUrl == null || brokerUrl.isBlank();
    }
}
