package dev.twinflow.embedded;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Kafka, under {@code twinflow.kafka.}. Read by the Kafka routes through {@code {{twinflow.kafka.*}}}.
 *
 * @param bootstrapServers the cluster to use; unset starts a real KRaft broker in-process that keeps
 *     its data under {@code <data-dir>/kafka}; env {@code TWINFLOW_KAFKA_BOOTSTRAP_SERVERS}
 * @param embeddedPort port of the in-process broker (0 = any free port); env {@code
 *     TWINFLOW_KAFKA_EMBEDDED_PORT}
 * @param topic where generated records go (seed 001's {@code sim_data_topic})
 * @param deadLetterTopic where records the receiver cannot process go, with the reason in headers
 * @param telemetryTopic where counted telemetry packets go (key device_id, value the Packet bytes)
 * @param machineTopic where MQTT machine data goes (key device id, value a JSON array of readings)
 * @param machineDeadLetterTopic where MQTT payloads that are not machine data go, with the reason
 * @param partitions partitions of the topics twinflow creates when they are missing
 * @param groupId consumer group of the receiver (seed 001's {@code sim_data_receiver_group})
 * @param maxPollRecords records a consumer route takes per batch at most (every Kafka consumer route's
 *     default, through {@code camel.component.kafka.max-poll-records}; the sinks have their own)
 * @param backlogFetchBytes bytes a consumer that reads backlogs (export, sinks) fetches per partition
 *     and poll, so its writer seldom waits for the next fetch
 * @param bulkBatchBytes bytes a producer that sends in bulk (scenarios, telemetry) batches per
 *     partition
 * @param bulkBufferBytes memory the scenarios' producer may hold unsent before a send waits
 */
@Validated
@ConfigurationProperties("twinflow.kafka")
public record KafkaSettings(
        String bootstrapServers,
        @Min(0) @Max(65535) @DefaultValue("9092") int embeddedPort,
        @NotBlank @DefaultValue("sim_data_topic") String topic,
        @NotBlank @DefaultValue("sim_data_topic.dlq") String deadLetterTopic,
        @NotBlank @DefaultValue("telemetry") String telemetryTopic,
        @NotBlank @DefaultValue("machine_data") String machineTopic,
        @NotBlank @DefaultValue("machine_data.dlq") String machineDeadLetterTopic,
        @Min(1) @DefaultValue("3") int partitions,
        @NotBlank @DefaultValue("sim_data_receiver_group") String groupId,
        @Min(1) @DefaultValue("5000") int maxPollRecords,
        @Min(1024) @DefaultValue("8388608") int backlogFetchBytes,
        @Min(1024) @DefaultValue("262144") int bulkBatchBytes,
        @Min(1024) @DefaultValue("67108864") long bulkBufferBytes) {

    public boolean embedded() {
        return bootstrapServers == null || bootstrapServers.isBlank();
    }
}
