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
 *
 * @param flushInterval how often counted packets are written to Redis (also at every stream's end)
 * @param maxPayloadSize largest {@code payload} a packet may carry; larger gets INVALID_ARGUMENT
 * @param maxPendingPackets packets one stream may have waiting for the next flush; beyond that the
 *     stream waits (gRPC flow control slows the client), so a slow Redis never grows memory
 * @param hash the Redis hash of per-device counters (seed 002's {@code device_metrics})
 */
@Validated
@ConfigurationProperties("twinflow.telemetry")
public record TelemetryProperties(
        @NotNull @DefaultValue("100ms") Duration flushInterval,
        @NotNull @DefaultValue("64KB") DataSize maxPayloadSize,
        @Min(1) @Max(10_000_000) @DefaultValue("20000") int maxPendingPackets,
        @NotNull @DefaultValue("device_metrics") String hash) {}
