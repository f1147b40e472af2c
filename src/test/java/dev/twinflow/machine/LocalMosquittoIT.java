package dev.twinflow.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twinflow.TestDevice;
import dev.twinflow.TestHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
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
        registry.add("twinflow.export.max-age", () -> "1s");
    }

    @LocalServerPort
    int httpPort;

    @Test
    void theSeedPayloadThroughTheMachinesMosquittoReachesTheLatestValues() throws Exception {
        try (TestDevice device = TestDevice.connect(BROKER, "it-device-" + RUN + "-")) {
            device.publish(
                    "it-" + RUN + "/Query/Response/MOSQ_1", "{\"values\":[{\"id\":\"Y_POS\",\"values\":[3.25]}]}");
        }
        TestHttp http = new TestHttp(httpPort);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.post("/get_data/", "{\"id\":\"Y_POS\",\"device_id\":\"MOSQ_1\"}")
                        .body()
                        .equals("{\"status\":\"ok\",\"id\":\"Y_POS\",\"device_id\":\"MOSQ_1\",\"value\":3.25}"));
        assertThat(http.post("/connect/", "{}").json().get("broker_url").asText())
                .isEqualTo(BROKER);

        // and exported through Hadoop's local file system (twinflow.hdfs.uri unset) under the data dir
        await().atMost(Duration.ofSeconds(30)).until(() -> !exported().isEmpty());
        GenericRecord row = exported().get(0);
        assertThat(row.get("device_id").toString()).isEqualTo("MOSQ_1");
        assertThat(row.get("data_id").toString()).isEqualTo("Y_POS");
        assertThat(row.get("value")).isEqualTo(3.25);
    }

    static List<GenericRecord> exported() throws IOException {
        Path folder = dataDir.resolve("hdfs/twinflow/machine_data");
        List<GenericRecord> rows = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return rows;
        }
        List<Path> files;
        try (var walk = Files.walk(folder)) {
            files = walk.filter(f ->
                            f.toString().endsWith(".parquet") && !f.toString().contains("/_tmp/"))
                    .toList();
        }
        for (Path f : files) {
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                            HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))
                    .build()) {
                for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                    rows.add(r);
                }
            }
        }
        return rows;
    }
}
