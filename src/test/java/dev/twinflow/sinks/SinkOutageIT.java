package dev.twinflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.twinflow.AppIT;
import dev.twinflow.TestDevice;
import dev.twinflow.TestHttp;
import dev.twinflow.embedded.MqttEngine;
import dev.twinflow.embedded.MysqlEngine;
import dev.twinflow.system.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * MySQL down at start and again mid-stream (a real MariaDB the test stops and starts on a fixed port):
 * the app runs, ingest, latest values, the export and the InfluxDB sink go on, the MySQL sink's lag grows
 * and its health is DOWN; when MySQL is back every reading arrives once.
 */
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability
class SinkOutageIT extends AppIT {

    @TempDir
    static Path engines;

    static int mysqlPort;
    static MysqlEngine mysql;
    static Influxd influx;

    @BeforeAll
    static void reservePortsAndStartInflux() throws Exception {
        mysqlPort = Ports.free();
        if (Files.isExecutable(Influxd.BINARY)) {
            influx = Influxd.start(engines.resolve("influx"), "mqtt_data");
        } else {
            System.out.println(Influxd.BINARY + " is missing: SinkOutageIT checks the other sinks without InfluxDB");
        }
    }

    @AfterAll
    static void stopEngines() throws Exception {
        if (mysql != null) {
            mysql.close();
        }
        if (influx != null) {
            influx.close();
        }
    }

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        registry.add("twinflow.mysql.url", () -> "jdbc:mariadb://127.0.0.1:" + mysqlPort + "/mqtt_data");
        registry.add("twinflow.export.max-age", () -> "1s");
        registry.add("twinflow.security.users.prom.password", () -> "prom-secret");
        registry.add("twinflow.security.users.prom.roles", () -> "METRICS");
        if (Files.isExecutable(Influxd.BINARY)) {
            registry.add("twinflow.influx.url", () -> influx.url());
            registry.add("twinflow.influx.api", () -> "v1");
        }
    }

    @Autowired
    MqttEngine mqtt;

    @Autowired
    StringRedisTemplate redis;

    @Test
    void everyReadingArrivesOnceAfterMysqlWasDownAtStartAndMidStream() throws Exception {
        TestHttp http = new TestHttp(httpPort);
        assertThat(http.get("/actuator/health")
                        .json()
                        .at("/components/db/status")
                        .asText())
                .isEqualTo("DOWN");
        assertThat(http.get("/machine_data").status()).isEqualTo(503);

        publish(0, 100);
        othersGoOn(http, 100);
        await("the MySQL sink's lag").atMost(Duration.ofSeconds(60)).until(() -> mysqlLag(http) >= 100);

        mysql = MysqlEngine.embedded(engines, mysqlPort);
        mysql.ready().get(120, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> rows() == 200);
        assertThat(http.get("/actuator/health")
                        .json()
                        .at("/components/db/status")
                        .asText())
                .isEqualTo("UP");

        mysql.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/actuator/health")
                .json()
                .at("/components/db/status")
                .asText()
                .equals("DOWN"));
        publish(100, 200);
        othersGoOn(http, 200);

        mysql = MysqlEngine.embedded(engines, mysqlPort);
        mysql.ready().get(120, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(90)).until(() -> rows() == 400);
        try (HikariDataSource pool = pool()) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(DISTINCT value) FROM mac_data WHERE device_id LIKE 'outage-%' AND data_id = 'SEQ'",
                            Long.class))
                    .isEqualTo(200);
        }
    }

    private void othersGoOn(TestHttp http, int messages) {
        await("latest values")
                .atMost(Duration.ofSeconds(60))
                .until(() -> redis.opsForHash().values("machine_readings").stream()
                                .mapToLong(v -> Long.parseLong(v.toString()))
                                .sum()
                        >= messages * 2L);
        await("the export")
                .atMost(Duration.ofSeconds(60))
                .until(() -> http.get("/exports?limit=1")
                                .json()
                                .at("/machine_data/rows_exported")
                                .asLong()
                        >= messages * 2L);
        if (influx != null) {
            await("the InfluxDB sink")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> influx.count("mqtt_data", "value", "data_id = 'SEQ'") == messages);
        }
    }

    private void publish(int from, int to) throws Exception {
        try (TestDevice device = TestDevice.connect(mqtt.url(), "outage-")) {
            for (int i = from; i < to; i++) {
                device.publish(
                        "Query/Response/outage-" + (i % 4),
                        "{\"values\":[{\"id\":\"SEQ\",\"values\":[" + i + "]},{\"id\":\"X\",\"values\":[1]}]}");
            }
        }
    }

    private static long mysqlLag(TestHttp http) {
        String login = java.util.Base64.getEncoder().encodeToString("prom:prom-secret".getBytes());
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.base() + "/actuator/prometheus"))
                        .header("Authorization", "Basic " + login))
                .body()
                .lines()
                .filter(l -> l.startsWith("twinflow_kafka_consumer_lag{") && l.contains("group=\"machine_data_mysql\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(-1);
    }

    private static HikariDataSource pool() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(mysql.url());
        pool.setUsername("root");
        return pool;
    }

    private static long rows() {
        try (HikariDataSource pool = pool()) {
            return new JdbcTemplate(pool)
                    .queryForObject("SELECT COUNT(*) FROM mac_data WHERE device_id LIKE 'outage-%'", Long.class);
        } catch (Exception e) {
            return -1;
        }
    }
}
