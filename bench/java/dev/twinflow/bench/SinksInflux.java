package dev.twinflow.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An InfluxDB 1.x of the bench's own ({@code influxd -config}, its dirs in a temp dir, free ports, no
 * reporting), spoken to over its HTTP API with java.net.http: the direct loop's client and the counter.
 */
final class SinksInflux implements AutoCloseable {

    static final String INFLUXD = "/usr/bin/influxd";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String url;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    private SinksInflux(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts one and waits for {@code /ping}; null (and says why) when there is no influxd. */
    static SinksInflux start() throws Exception {
        if (!Files.isExecutable(Path.of(INFLUXD))) {
            System.out.println("no " + INFLUXD + " on this machine: InfluxDB is not benchmarked, MySQL only");
            return null;
        }
        Path dir = Files.createTempDirectory("twinflow-bench-influx");
        int httpPort = freePort();
        int rpcPort = freePort();
        Path config = dir.resolve("influxdb.conf");
        Files.writeString(
                config,
                """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s/meta"
                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  query-log-enabled = false
                [http]
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false
                [monitor]
                  store-enabled = false
                [continuous_queries]
                  enabled = false
                """
                        .formatted(rpcPort, dir, dir, dir, httpPort));
        Process p = new ProcessBuilder(INFLUXD, "-config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("influxd.log").toFile())
                .start();
        SinksInflux influx = new SinksInflux(p, "http://127.0.0.1:" + httpPort);
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("influxd exited, see " + dir.resolve("influxd.log"));
                    }
                    return influx.ping();
                });
        return influx;
    }

    String url() {
        return url;
    }

    void createDatabase(String database) throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(url + "/query"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("q=" + encode("CREATE DATABASE " + database)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("CREATE DATABASE " + database + ": " + answer.body());
        }
    }

    /** One line-protocol POST to {@code /write}; throws unless InfluxDB answers 204. */
    void write(String database, byte[] lines) throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(url + "/write?db=" + encode(database) + "&precision=ns"))
                        .header("Content-Type", "text/plain; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(lines))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 204) {
            throw new IllegalStateException("InfluxDB answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    /** {@code SELECT count(value) FROM machine_data}: the points stored (0 when there are none). */
    long count(String database) throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(url + "/query?db=" + encode(database) + "&q="
                                + encode("SELECT count(value) FROM machine_data")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode series = JSON.readTree(answer.body()).path("results").path(0).path("series");
        return series.isMissingNode()
                ? 0
                : series.path(0).path("values").path(0).path(1).asLong();
    }

    private boolean ping() {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create(url + "/ping"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 204;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
