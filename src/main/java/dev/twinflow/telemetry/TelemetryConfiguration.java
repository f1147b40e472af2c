package dev.twinflow.telemetry;

import dev.twinflow.system.Engine;
import dev.twinflow.system.Ports;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gRPC listener: its port is checked before Camel binds it, so a clash names the setting. */
@Configuration(proxyBeanMethods = false)
class TelemetryConfiguration {

    @Bean
    Engine grpcEngine(GrpcSettings grpc) {
        int port = Ports.claim(grpc.port(), "twinflow.grpc.port");
        return Engine.embedded("grpc", "TelemetryIngest on port " + port + " (twinflow.grpc.port)");
    }
}
