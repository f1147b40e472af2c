package dev.twinflow.sinks;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.system.Json;
import dev.twinflow.system.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * A real InfluxDB 1.x ({@code influxd} from Debian's {@code influxdb} package; none ships on Maven Central)
 * on free ports with its own dirs. Where it is not installed the calling test is skipped, saying why
 * ({@code .ci/run} installs it, so CI always runs these tests).
 */
final class Influxd implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/influxd");

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private Influxd(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts influxd with database {@code database}, or skips the test when influxd is missing. */
    static Influxd start(Path dir, String database) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            String why = BINARY + " is missing: InfluxDB tests skipped (install it: apt-get install -y influxdb)";
            System.out.println(why);
            Assumptions.abort(why);
        }
        int port = Ports.free();
        int rpc = Ports.free();
        Files.createDirectories(dir);
        Path config = dir.resolve("influxdb.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "reporting-disabled = true",
                        "bind-address = \"127.0.0.1:" + rpc + "\"",
                        "[meta]",
                        "  dir = \"" + dir.resolve("meta") + "\"",
                        "[data]",
                        "  dir = \"" + dir.resolve("data") + "\"",
                        "  wal-dir = \"" + dir.resolve("wal") + "\"",
                        "  query-log-enabled = false",
                        "[http]",
                        "  bind-address = \"127.0.0.1:" + port + "\"",
                        "  log-enabled = false",
                        "[monitor]",
                        "  store-enabled = false",
                        "[continuous_queries]",
                        "  enabled = false",
                        ""));
        Process process = new ProcessBuilder(BINARY.toString(), "-config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("influxd.log").toFile())
                .start();
        Influxd influx = new Influxd(process, port);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(influx::pings);
        influx.query("CREATE DATABASE " + database);
        return influx;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    boolean pings() throws IOException, InterruptedException {
        return http.send(
                                HttpRequest.newBuilder(URI.create(url() + "/ping"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                == 204;
    }

    /** Runs InfluxQL through {@code POST /query}; the JSON answer. */
    JsonNode query(String q) throws IOException, InterruptedException {
        return query(null, q);
    }

    JsonNode query(String database, String q) throws IOException, InterruptedException {
        String form = "q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + (database == null ? "" : "&db=" + URLEncoder.encode(database, StandardCharsets.UTF_8));
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(url() + "/query"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(answer.body());
    }

    /** {@code SELECT count(field) FROM machine_data [WHERE ...]}: 0 when there is no point. */
    long count(String database, String field, String where) throws IOException, InterruptedException {
        JsonNode values = query(
                        database,
                        "SELECT count(" + field + ") FROM machine_data" + (where == null ? "" : " WHERE " + where))
                .at("/results/0/series/0/values/0/1");
        return values.isMissingNode() ? 0 : values.asLong();
    }

    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
