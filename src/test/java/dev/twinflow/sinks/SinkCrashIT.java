package dev.twinflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.twinflow.ChildApp;
import dev.twinflow.TestDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * kill -9 of the app (child JVM, with its embedded MariaDB) while the sinks are mid-backlog, in small
 * batches: after the restart every reading is in MySQL (and InfluxDB, where installed) exactly once.
 */
class SinkCrashIT {

    static final int MESSAGES = 1500;

    @TempDir
    Path dir;

    @Test
    void everyReadingIsStoredExactlyOnceAfterAKillMidBatch() throws Exception {
        Influxd influx = Files.isExecutable(Influxd.BINARY) ? Influxd.start(dir.resolve("influx"), "mqtt_data") : null;
        if (influx == null) {
            System.out.println(Influxd.BINARY + " is missing: SinkCrashIT checks MySQL only");
        }
        Path data = dir.resolve("data");
        Path log = dir.resolve("child.log");
        int mqttPort = ChildApp.freePort();
        int mysqlPort = ChildApp.freePort();
        String[] args = {
            "--twinflow.mqtt.embedded-port=" + mqttPort,
            "--twinflow.kafka.embedded-port=" + ChildApp.freePort(),
            "--twinflow.mysql.embedded-port=" + mysqlPort,
            "--twinflow.sinks.mysql.batch-size=10",
            "--twinflow.sinks.influx.batch-size=10",
            "--twinflow.influx.api=v1",
            "--twinflow.influx.url=" + (influx == null ? "" : influx.url())
        };
        String url = "jdbc:mariadb://127.0.0.1:" + mysqlPort + "/mqtt_data";
        try {
            try (ChildApp app = ChildApp.start(data, log, args)) {
                await().atMost(Duration.ofSeconds(120)).until(() -> rows(url) >= 0);
                publish(mqttPort);
                await().atMost(Duration.ofSeconds(120)).until(() -> rows(url) > 100);
                long before = rows(url);
                app.kill();
                assertThat(before).as("killed mid-backlog").isLessThan(MESSAGES * 2L);
            }
            try (ChildApp app = ChildApp.start(data, log, args)) {
                await().atMost(Duration.ofSeconds(180)).until(() -> rows(url) == MESSAGES * 2L);
                try (HikariDataSource pool = pool(url)) {
                    JdbcTemplate jdbc = new JdbcTemplate(pool);
                    assertThat(jdbc.queryForObject(
                                    "SELECT COUNT(DISTINCT value) FROM mac_data WHERE data_id = 'SEQ'", Long.class))
                            .isEqualTo(MESSAGES);
                }
                if (influx != null) {
                    await().atMost(Duration.ofSeconds(120))
                            .until(() -> influx.count("mqtt_data", "value", "data_id = 'SEQ'") == MESSAGES);
                    assertThat(influx.count("mqtt_data", "value", null)).isEqualTo(MESSAGES * 2L);
                }
                app.stop();
            }
        } finally {
            if (influx != null) {
                influx.close();
            }
        }
    }

    private static void publish(int mqttPort) throws Exception {
        try (TestDevice device = TestDevice.connect("tcp://127.0.0.1:" + mqttPort, "sink-crash-")) {
            for (int i = 0; i < MESSAGES; i++) {
                String payload = "{\"values\":[{\"id\":\"SEQ\",\"values\":[" + i + "]},{\"id\":\"X\",\"values\":[1]}]}";
                while (true) {
                    try {
                        device.publish("Query/Response/crash-" + (i % 4), payload);
                        break;
                    } catch (MqttException e) {
                        // Paho counts a message in flight a moment after its PUBACK: try again shortly
                        if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                            throw e;
                        }
                        Thread.onSpinWait();
                    }
                }
            }
        }
    }

    private static HikariDataSource pool(String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername("root");
        pool.setConnectionTimeout(2000);
        return pool;
    }

    /** Rows in mac_data, -1 while the database or the table is not there. */
    private static long rows(String url) {
        try (HikariDataSource pool = pool(url)) {
            return new JdbcTemplate(pool).queryForObject("SELECT COUNT(*) FROM mac_data", Long.class);
        } catch (Exception e) {
            return -1;
        }
    }
}
