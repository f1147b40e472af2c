package dev.twinflow.telemetry;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Telemetry ingest, under {@code twinflow.telemetry.}; the listener port is {@code twinflow.grpc.port}.
 * The {@code publish-*} settings are read by {@code routes/telemetry-ingest.camel.yaml} (the queue
 * {@code seda:publish-telemetry} between the flusher and Kafka), so they are listed in {@code
 * application.yaml} too.
 *
 * @param flushInterval how often counted packets are written to Redis (also at every stream's end)
 * @param maxPayloadSize largest {@code payload} a packet may carry; larger gets INVALID_ARGUMENT
 * @param maxPendingPackets packets one stream may have waiting for the next flush; beyond that the
 *     stream waits (gRPC flow control slows the client), so a slow Redis never grows memory
 * @param hash the Redis hash of per-device counters (seed 002's {@code device_metrics})
 * @param publishQueueSize flushes (one batch of counted packets each) that may wait for the Kafka
 *     producer, which itself buffers up to its {@code buffer.memory}; when the queue is full the batch
 *     is dropped and logged, so a slow or absent Kafka never holds up counting or the Acks
 * @param publishBlockWhenFull {@code true}: a flush waits for room in the queue, as long as it takes,
 *     instead of dropping its batch, so no counted packet is left out of Kafka; but a slow Kafka then
 *     slows the flushes and with them the Acks and the streams, and an absent one stops them
 */
@Validated
@ConfigurationProperties("twinflow.telemetry")
public record TelemetryProperties(
        @NotNull @DefaultValue("100ms") Duration flushInterval,
        @NotNull @DefaultValue("64KB") DataSize maxPayloadSize,
        @Min(1) @Max(10_000_000) @DefaultValue("20000") int maxPendingPackets,
        @NotNull @DefaultValue("device_metrics") String hash,
        @Min(1) @Max(10_000) @DefaultValue("8") int publishQueueSize,
        @DefaultValue("false") boolean publishBlockWhenFull) {}
