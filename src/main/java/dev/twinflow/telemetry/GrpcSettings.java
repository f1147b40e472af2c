package dev.twinflow.telemetry;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gRPC listener, under {@code twinflow.grpc.}.
 *
 * @param port where {@code TelemetryIngest} listens (seed 002: 50051; 0 = any free port); env
 *     {@code TWINFLOW_GRPC_PORT}
 */
@Validated
@ConfigurationProperties("twinflow.grpc")
public record GrpcSettings(@Min(0) @Max(65535) @DefaultValue("50051") int port) {}
