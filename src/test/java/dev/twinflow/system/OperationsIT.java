package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twinflow.AppIT;
import dev.twinflow.TestHttp;
import dev.twinflow.embedded.MqttEngine;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Console, actuator, Prometheus and the control endpoints with security on (as in the distributed profile). */
// Spring Boot tests turn metrics export off unless asked
@AutoConfigureObservability
class OperationsIT extends AppIT {

    @DynamicPropertySource
    static void security(DynamicPropertyRegistry registry) {
        registry.add("twinflow.security.enabled", () -> "true");
        registry.add("twinflow.security.users.root.password", () -> "root-secret");
        registry.add("twinflow.security.users.root.roles", () -> "ADMIN");
        registry.add("twinflow.security.users.ops.password", () -> "ops-secret");
        registry.add("twinflow.security.users.ops.roles", () -> "OPERATOR");
        registry.add("twinflow.security.users.prom.password", () -> "prom-secret");
        registry.add("twinflow.security.users.prom.roles", () -> "METRICS");
        registry.add("twinflow.security.users.viewer.password", () -> "viewer-secret");
        registry.add("twinflow.security.users.viewer.roles", () -> "READER");
    }

    @Autowired
    MqttEngine mqtt;

    TestHttp http;

    @BeforeEach
    void client() {
        http = new TestHttp(httpPort);
    }

    TestHttp.Answer as(String user, String password, String method, String path, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(http.base() + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        if (user != null) {
            r.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(r);
    }

    @Test
    void theHawtioConsoleAndActuatorNeedAnAdminLogin() {
        assertThat(as(null, null, "GET", "/actuator/hawtio/", null).status()).isEqualTo(401);
        assertThat(as("root", "wrong", "GET", "/actuator/hawtio/", null).status())
                .isEqualTo(401);
        assertThat(as("ops", "ops-secret", "GET", "/actuator/hawtio/", null).status())
                .isEqualTo(403);
        TestHttp.Answer console = as("root", "root-secret", "GET", "/actuator/hawtio/", null);
        assertThat(console.status()).isEqualTo(200);
        assertThat(console.body()).containsIgnoringCase("hawtio");

        // the Camel tab reads the routes through Jolokia: every route is there
        assertThat(as(null, null, "GET", "/actuator/jolokia/version", null).status())
                .isEqualTo(401);
        TestHttp.Answer routes =
                as("root", "root-secret", "GET", "/actuator/jolokia/search/org.apache.camel:type=routes,*", null);
        assertThat(routes.status()).isEqualTo(200);
        assertThat(routes.body()).contains("receive-messages", "export-machine-data", "ingest-machine-data");
    }

    @Test
    void healthIsOpenAndReportsEveryEngine() {
        // the embedded MariaDB starts beside the app: health is DOWN (503) for the seconds it takes
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(150))
                .until(() -> http.get("/actuator/health").status() == 200);
        TestHttp.Answer health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        for (String engine : new String[] {"kafka", "redis", "mqtt", "hdfs", "db"}) {
            assertThat(health.json().at("/components/" + engine + "/status").asText())
                    .as(engine)
                    .isEqualTo("UP");
        }
    }

    @Test
    void prometheusNeedsALoginAndShowsTheNamedMetricsAfterTraffic() throws Exception {
        assertThat(as(null, null, "GET", "/actuator/prometheus", null).status()).isEqualTo(401);
        assertThat(as("viewer", "viewer-secret", "GET", "/actuator/prometheus", null)
                        .status())
                .isEqualTo(403);

        assertThat(http.post("/generate", "{\"type\":\"user\",\"num\":3}").status())
                .isEqualTo(200);
        assertThat(http.post("/receive", "{\"hello\":1}").status()).isEqualTo(200);
        MqttClient device = new MqttClient(mqtt.url(), "ops-it-" + System.nanoTime(), new MemoryPersistence());
        device.connect();
        MqttMessage poison = new MqttMessage("not machine data".getBytes(StandardCharsets.UTF_8));
        poison.setQos(1);
        device.publish("Query/Response/OPS_1", poison);
        device.disconnect();
        device.close();

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            String metrics = as("prom", "prom-secret", "GET", "/actuator/prometheus", null)
                    .body();
            assertThat(metrics)
                    .containsPattern("twinflow_records_generated_total\\{[^}]*via=\"api\"[^}]*} 3\\.0")
                    .containsPattern("twinflow_records_received_total\\{[^}]*via=\"http\"[^}]*} 1\\.0")
                    .containsPattern("twinflow_dead_lettered_total\\{[^}]*topic=\"machine_data\\.dlq\"[^}]*} 1\\.0")
                    .contains("twinflow_telemetry_packets_counted_total")
                    .contains("twinflow_export_readings_total")
                    .contains("twinflow_terminals_online")
                    .contains("twinflow_audit_missing")
                    .containsPattern("twinflow_kafka_consumer_lag\\{group=\"[^\"]+\",[^}]*topic=\"")
                    // Camel's route metrics
                    .containsPattern("camel_exchanges_total\\{[^}]*routeId=\"receive-messages\"");
        });
    }

    @Test
    void controlEndpointsRejectMissingOrWrongCredentialsAndAcceptAnOperator() {
        assertThat(as(null, null, "POST", "/clear_messages", "{}").status()).isEqualTo(401);
        assertThat(as("ops", "nope", "POST", "/clear_messages", "{}").status()).isEqualTo(401);
        assertThat(as("viewer", "viewer-secret", "POST", "/clear_messages", "{}")
                        .status())
                .isEqualTo(403);
        assertThat(as("ops", "ops-secret", "POST", "/clear_messages", "{}").status())
                .isEqualTo(200);
        assertThat(as("root", "root-secret", "POST", "/clear", "{}").status()).isEqualTo(200);
        assertThat(as(null, null, "POST", "/scenarios/factory-floor/start", "{}")
                        .status())
                .isEqualTo(401);
        assertThat(as(null, null, "PUT", "/terminals/t-1/config", "{\"a\":1}").status())
                .isEqualTo(401);
        // past the login the endpoint answers for itself: the terminal was never connected
        assertThat(as("ops", "ops-secret", "PUT", "/terminals/t-1/config", "{\"a\":1}")
                        .status())
                .isEqualTo(409);
        assertThat(as(null, null, "POST", "/exports/run", "").status()).isEqualTo(401);

        // reads and the data plane stay open (twinflow.security.open-reads)
        assertThat(http.get("/messages").status()).isEqualTo(200);
        assertThat(http.get("/terminals").status()).isEqualTo(200);
        assertThat(http.post("/receive", "{\"open\":true}").status()).isEqualTo(200);
    }
}
