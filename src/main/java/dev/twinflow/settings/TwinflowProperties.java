package dev.twinflow.settings;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings shared by every flow, under {@code twinflow.}.
 *
 * @param dataDir where every file twinflow keeps lives (message log, data set, embedded engines'
 *     data); env {@code TWINFLOW_DATA_DIR}
 * @param nodeName this instance's name, stamped into {@code received_by}; defaults to the host name;
 *     env {@code TWINFLOW_NODE_NAME}
 * @param routesDir a folder of extra {@code *.camel.yaml} route files, loaded after the bundled ones
 *     and reloaded when they change; unset means only the bundled routes; env {@code
 *     TWINFLOW_ROUTES_DIR}
 * @param http limits of the HTTP API
 */
@Validated
@ConfigurationProperties("twinflow")
public record TwinflowProperties(
        @NotNull @DefaultValue("./data") Path dataDir,
        String nodeName,
        Path routesDir,
        @NotNull @DefaultValue Http http) {

    public TwinflowProperties {
        if (nodeName == null || nodeName.isBlank()) {
            nodeName = hostName();
        }
    }

    /**
     * Limits of the HTTP API.
     *
     * @param maxBodySize largest request body accepted; larger ones get 413 before anything is read
     * @param defaultLimit records returned by {@code GET /data} and {@code GET /messages} when the
     *     request names no {@code limit}
     * @param maxLimit largest {@code limit} a request may ask for
     * @param workerThreads threads the HTTP routes run on; a request waiting for its fsync (or a
     *     terminal's answer) holds one, so this bounds how many requests one group commit can take
     * @param servletPort loopback port of the Tomcat behind the HTTP port (actuator, console,
     *     dashboard), 0 = any free port
     */
    public record Http(
            @NotNull @DefaultValue("1MB") DataSize maxBodySize,
            @Min(1) @DefaultValue("1000") int defaultLimit,
            @Min(1) @Max(1_000_000) @DefaultValue("100000") int maxLimit,
            @Min(1) @DefaultValue("256") int workerThreads,
            @Min(0) @DefaultValue("0") int servletPort) {}

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "twinflow";
        }
    }
}
