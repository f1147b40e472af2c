package dev.twinflow.sinks;

import dev.twinflow.system.Engine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The InfluxDB engine line and its health (MySQL's is Spring Boot's {@code db} indicator). */
@Configuration(proxyBeanMethods = false)
class SinkConfiguration {

    @Bean
    Engine influxEngineReport(InfluxProperties influx) {
        return influx.enabled()
                ? Engine.external("influxdb", influx.url() + " (twinflow.influx.url, api " + influx.api() + ")")
                : new Engine(
                        "influxdb",
                        "off",
                        "nothing: set twinflow.influx.url (TWINFLOW_INFLUX_URL) to write machine_data to an InfluxDB");
    }

    /** {@code GET /ping} answers 204 within 2 s (v1 and v2 alike); only when the sink is on. */
    @Bean("influxHealthIndicator")
    HealthIndicator influxHealth(InfluxProperties influx) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return () -> {
            if (!influx.enabled()) {
                return Health.unknown()
                        .withDetail("sink", "off (twinflow.influx.url unset)")
                        .build();
            }
            try {
                HttpResponse<Void> answer = http.send(
                        HttpRequest.newBuilder(URI.create(influx.url().replaceAll("/+$", "") + "/ping"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                Health.Builder health = answer.statusCode() / 100 == 2 ? Health.up() : Health.down();
                return health.withDetail("url", influx.url())
                        .withDetail("status", answer.statusCode())
                        .build();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return Health.down()
                        .withDetail("url", influx.url())
                        .withDetail("error", e.toString())
                        .build();
            }
        };
    }
}
