package dev.twinflow.sinks;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The machine-data sinks, under {@code twinflow.sinks.}: each reads {@code machine_data} in its own
 * consumer group, so a slow or down store holds back only itself.
 *
 * @param mysql the MySQL sink
 * @param influx the InfluxDB sink
 * @param retries times a store that failed a batch gets it again before the batch fails (and is read
 *     again from the committed offsets)
 * @param retryDelayMs wait before each of those retries
 */
@Validated
@ConfigurationProperties("twinflow.sinks")
public record SinkProperties(
        @Valid @DefaultValue Sink mysql,
        @Valid @DefaultValue Sink influx,
        @Min(0) @DefaultValue("3") int retries,
        @Min(0) @DefaultValue("1000") long retryDelayMs) {

    /**
     * @param groupId its Kafka consumer group
     * @param batchSize Kafka records per polled batch, written as one statement or one HTTP request (a record
     *     holds the readings of one MQTT message)
     * @param consumers Kafka consumers of the group in each instance, each with its own partitions: two let
     *     the next batch be read and parsed while the store writes the last (+15-20% on 2 cores)
     */
    public record Sink(
            @NotBlank String groupId,
            @Min(1) @Max(50000) @DefaultValue("2000") int batchSize,
            @Min(1) @Max(16) @DefaultValue("2") int consumers) {}
}
