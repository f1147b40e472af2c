package dev.twinflow.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twinflow.TestHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The ingest against an external broker: the machine's Mosquitto on 127.0.0.1:1883 when one is
 * running (skipped, saying why, when not; a fresh machine has none).
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LocalMosquittoIT {

    static final String BROKER = "tcp://127.0.0.1:1883";
    static final String RUN = Long.toString(System.nanoTime(), 36);

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void brokerIsThere() {
        boolean reachable;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 1883), 1000);
            reachable = true;
        } catch (IOException e) {
            reachable = false;
        }
        if (!reachable) {
            System.out.println("LocalMosquittoIT skipped: no MQTT broker on 127.0.0.1:1883");
        }
        Assumptions.assumeTrue(reachable, "no MQTT broker on 127.0.0.1:1883 (start Mosquitto to run this test)");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("twinflow.data-dir", () -> dataDir.toString());
        registry.add("twinflow.mqtt.broker-url", () -> BROKER);
        // set at start-up from twinflow.mqtt.* (FreePorts), which runs before this source exists
        registry.add("camel.component.paho-mqtt5.broker-url", () -> BROKER);
        // a session and topics of this run's own on a shared broker
        registry.add("twinflow.machine.client-id", () -> "twinflow-it-" + RUN);
        registry.add("twinflow.machine.subscription", () -> "it-" + RUN + "/Query/Response/+");
    }

    @LocalServerPort
    int httpPort;

    @Test
    void theSeedPayloadThroughTheMachinesMosquittoReachesTheLatestValues() throws Exception {
        MqttClient device = new MqttClient(BROKER, "it-device-" + RUN, new MemoryPersistence());
        device.connect();
        try {
            MqttMessage m = new MqttMessage(
                    "{\"values\":[{\"id\":\"Y_POS\",\"values\":[3.25]}]}".getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            device.publish("it-" + RUN + "/Query/Response/MOSQ_1", m);
        } finally {
            device.disconnect();
            device.close();
        }
        TestHttp http = new TestHttp(httpPort);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.post("/get_data/", "{\"id\":\"Y_POS\",\"device_id\":\"MOSQ_1\"}")
                        .body()
                        .equals("{\"status\":\"ok\",\"id\":\"Y_POS\",\"device_id\":\"MOSQ_1\",\"value\":3.25}"));
        assertThat(http.post("/connect/", "{}").json().get("broker_url").asText())
                .isEqualTo(BROKER);
    }
}
