package dev.twinflow.sinks;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * InfluxDB, under {@code twinflow.influx.}: where the machine-data sink writes measurement {@code
 * machine_data} over the HTTP line-protocol API.
 *
 * @param url the InfluxDB, e.g. {@code http://influxdb:8086}; unset turns the sink off (no InfluxDB ships
 *     as a Maven artifact); env {@code TWINFLOW_INFLUX_URL}
 * @param api {@code v2} ({@code /api/v2/write} with org, bucket and token, InfluxDB 2 and 1.8+) or {@code
 *     v1} ({@code /write?db=}, optional user and password); env {@code TWINFLOW_INFLUX_API}
 * @param org v2 organisation (the seed's {@code my-org}); env {@code TWINFLOW_INFLUX_ORG}
 * @param bucket v2 bucket (the seed's {@code mqtt_bucket}); env {@code TWINFLOW_INFLUX_BUCKET}
 * @param token v2 API token, sent as {@code Authorization: Token ...}; env {@code TWINFLOW_INFLUX_TOKEN}
 * @param database v1 database; env {@code TWINFLOW_INFLUX_DATABASE}
 * @param user v1 user (HTTP basic auth), unset for none; env {@code TWINFLOW_INFLUX_USER}
 * @param password v1 password; env {@code TWINFLOW_INFLUX_PASSWORD}
 */
@Validated
@ConfigurationProperties("twinflow.influx")
public record InfluxProperties(
        String url,
        @Pattern(regexp = "v1|v2", message = "must be v1 or v2") @DefaultValue("v2") String api,
        @DefaultValue("my-org") String org,
        @DefaultValue("mqtt_bucket") String bucket,
        String token,
        @DefaultValue("mqtt_data") String database,
        String user,
        String password) {

    public boolean enabled() {
        return url != null && !url.isBlank();
    }
}
