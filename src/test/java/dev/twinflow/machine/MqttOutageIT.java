package dev.twinflow.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.embedded.EmbeddedHiveMQ;
import dev.twinflow.AppIT;
import dev.twinflow.TestDevice;
import dev.twinflow.TestHttp;
import dev.twinflow.embedded.MqttEngine;
import dev.twinflow.system.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** An MQTT broker that is down at start: the app runs, reports it DOWN, and ingests once it is up. */
class MqttOutageIT extends AppIT {

    static final int BROKER_PORT = Ports.free();
    static EmbeddedHiveMQ broker;

    @TempDir
    static Path brokerDir;

    @Autowired
    CamelContext camel;

    static {
        // a system property, not a @DynamicPropertySource: the broker address is read before those exist
        System.setProperty("twinflow.mqtt.broker-url", "tcp://127.0.0.1:" + BROKER_PORT);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        System.clearProperty("twinflow.mqtt.broker-url");
        if (broker != null) {
            broker.stop().get(30, TimeUnit.SECONDS);
            broker.close();
        }
    }

    static EmbeddedHiveMQ startBroker() throws Exception {
        return MqttEngine.startBroker(brokerDir, BROKER_PORT, "127.0.0.1", 1000);
    }

    @Test
    void theAppRunsWithTheBrokerDownAndIngestsOnceItComesUp() throws Exception {
        TestHttp http = new TestHttp(httpPort);
        // everything else answers; the broker and its routes are reported down
        assertThat(http.post("/generate", "{\"type\":\"user\",\"num\":2}").status())
                .isEqualTo(200);
        TestHttp.Answer health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().at("/components/mqtt/status").asText()).isEqualTo("DOWN");
        assertThat(health.json().at("/components/redis/status").asText()).isEqualTo("UP");
        assertThat(camel.getRouteController()
                        .getRouteStatus("ingest-machine-data")
                        .isStarted())
                .isFalse();

        broker = startBroker();
        try (java.net.Socket probe = new java.net.Socket("127.0.0.1", BROKER_PORT)) {
            assertThat(probe.isConnected()).as("the test's broker listens").isTrue();
        }
        await("ingest route connected").atMost(Duration.ofSeconds(60)).until(() -> camel.getRouteController()
                .getRouteStatus("ingest-machine-data")
                .isStarted());
        await().atMost(Duration.ofSeconds(30)).until(() -> "UP"
                .equals(http.get("/actuator/health")
                        .json()
                        .at("/components/mqtt/status")
                        .asText()));
        try (TestDevice device = TestDevice.connect("tcp://127.0.0.1:" + BROKER_PORT, "late-device-")) {
            device.publish("Query/Response/LATE_1", "{\"values\":[{\"id\":\"X_POS\",\"values\":[3.5]}]}");
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.post("/get_data/", "{\"id\":\"X_POS\",\"device_id\":\"LATE_1\"}")
                        .body()
                        .contains("3.5"));
        // every engine UP (the embedded MariaDB starts beside the app, in its own time)
        await().atMost(Duration.ofSeconds(150))
                .until(() -> http.get("/actuator/health").status() == 200);
    }
}
