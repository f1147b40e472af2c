package dev.twinflow.machine;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Machine data ingest (seed 004), under {@code twinflow.machine.}; the broker is {@code
 * twinflow.mqtt.*}, the topics {@code twinflow.kafka.machine-topic} and {@code machine-dead-letter-topic}.
 *
 * @param subscription the MQTT topic filter read (the device id is the last topic level)
 * @param clientId the ingest's MQTT client id; stable, so its persistent session survives restarts
 * @param sessionExpiry seconds the broker keeps the session (and queues QoS 1 messages) while the
 *     app is away
 * @param groupId consumer group of the route that keeps the latest values
 * @param maxPayloadSize largest MQTT payload taken as machine data; a larger one is dead-lettered
 *     (its first {@code maxPayloadSize} bytes, with the reason), as Kafka would refuse its record and
 *     fail the whole batch again and again
 * @param receiveMaximum QoS 1 messages the broker may send the ingest before their PUBACKs (MQTT 5
 *     Receive Maximum, 1..65535): each PUBACK waits until its batch is on Kafka, so a small window
 *     caps the rate at window / Kafka latency
 */
@Validated
@ConfigurationProperties("twinflow.machine")
public record MachineProperties(
        @NotBlank @DefaultValue("Query/Response/+") String subscription,
        @NotBlank @DefaultValue("twinflow-machine-ingest") String clientId,
        @Min(0) @DefaultValue("86400") long sessionExpiry,
        @NotBlank @DefaultValue("machine_latest_values") String groupId,
        @Min(1) @jakarta.validation.constraints.Max(65535) @DefaultValue("65535") int receiveMaximum,
        @NotNull @DefaultValue("128KB") DataSize maxPayloadSize) {}
