package dev.twinflow.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.AppIT;
import dev.twinflow.TestDevice;
import dev.twinflow.TestHttp;
import dev.twinflow.embedded.MqttEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Seed 004's big-data side against a real HDFS (MiniDFSCluster) with the embedded MQTT 5 broker, Kafka
 * and redis-server: a real Paho client publishes, files are read back with parquet-avro.
 */
class MachineExportIT extends AppIT {

    static final Duration MAX_AGE = Duration.ofSeconds(2);
    static MiniHdfs hdfs;

    static final String NODE = "export-node";

    @DynamicPropertySource
    static void export(DynamicPropertyRegistry registry) {
        registry.add("twinflow.hdfs.uri", () -> hdfs().uri());
        registry.add("twinflow.export.max-age", () -> MAX_AGE.toSeconds() + "s");
        registry.add("twinflow.export.retry-wait", () -> "1s");
        registry.add("twinflow.node-name", () -> NODE);
    }

    static synchronized MiniHdfs hdfs() {
        if (hdfs == null) {
            hdfs = new MiniHdfs();
        }
        return hdfs;
    }

    @AfterAll
    static void stopHdfs() {
        hdfs.close();
    }

    @Autowired
    MqttEngine mqtt;

    @Autowired
    MachineExport export;

    TestHttp http;
    TestDevice device;

    @BeforeEach
    void connect() throws Exception {
        http = new TestHttp(httpPort);
        device = TestDevice.connect(mqtt.url(), "export-test-");
    }

    @AfterEach
    void disconnect() throws Exception {
        device.close();
    }

    void publish(String device, String payload) throws Exception {
        this.device.publish("Query/Response/" + device, payload);
    }

    List<GenericRecord> rowsOf(String device) throws Exception {
        return hdfs.parquetRows("/twinflow/machine_data").stream()
                .filter(r -> r.get("device_id").toString().equals(device))
                .toList();
    }

    @Test
    void theSeedPayloadEndsUpInRedisAndInAParquetFileOnHdfs() throws Exception {
        long before = System.currentTimeMillis();
        publish("press-01", Files.readString(Path.of("src/test/resources/ingest-machine-data/seed-payload.json")));

        await().atMost(Duration.ofSeconds(30)).until(() -> rowsOf("press-01").size() == 3);
        Map<String, GenericRecord> byId = rowsOf("press-01").stream()
                .collect(Collectors.toMap(r -> r.get("data_id").toString(), r -> r));
        assertThat(byId.keySet()).containsExactlyInAnyOrder("X_POS", "SPINDLE_SPEED", "STATE");
        assertThat(byId.get("X_POS").get("value")).isEqualTo(12.5);
        assertThat(byId.get("X_POS").get("value_text")).isNull();
        assertThat(byId.get("SPINDLE_SPEED").get("value")).isEqualTo(1200.0);
        assertThat(byId.get("STATE").get("value")).isNull();
        assertThat(byId.get("STATE").get("value_text").toString()).isEqualTo("RUNNING");
        assertThat((Long) byId.get("X_POS").get("ts")).isBetween(before, System.currentTimeMillis());

        List<org.apache.hadoop.fs.Path> files = hdfs.files("/twinflow/machine_data", "parquet");
        assertThat(files).isNotEmpty().allSatisfy(f -> assertThat(f.toUri().getPath())
                .matches("/twinflow/machine_data/dt=\\d{4}-\\d\\d-\\d\\d/hour=\\d\\d/"
                        + "machine_data\\+\\d+\\+\\d{20}\\+\\d{20}\\.parquet"));
        assertThat(files.get(0).toUri().getPath()).contains("dt=" + LocalDate.now(ZoneOffset.UTC));

        // the same readings as latest values in Redis
        assertThat(http.post("/get_data/", "{\"id\":\"STATE\",\"device_id\":\"press-01\"}")
                        .json()
                        .get("value")
                        .asText())
                .isEqualTo("RUNNING");

        // and listed with row counts and time ranges
        JsonNode listing = http.get("/exports?path=machine_data").json();
        assertThat(listing.get("total").asInt()).isPositive();
        JsonNode first = listing.get("files").get(0);
        assertThat(first.get("format").asText()).isEqualTo("parquet");
        assertThat(first.get("rows").asLong()).isPositive();
        assertThat(first.get("from").asText()).isNotEmpty();
        assertThat(first.get("to").asText()).isNotEmpty();
        long listed = 0;
        for (JsonNode f : listing.get("files")) {
            listed += f.get("rows").asLong();
        }
        assertThat(listed).isEqualTo(hdfs.parquetRows("/twinflow/machine_data").size());
    }

    @Test
    void aQuietPartitionsFileIsPublishedWithinMaxAge() throws Exception {
        publish("quiet-01", "{\"values\":[{\"id\":\"TEMP\",\"values\":[21.5]}]}");
        // nothing else arrives: the timer publishes the file (ingest and Kafka take a moment too)
        await().atMost(MAX_AGE.plusSeconds(8)).until(() -> rowsOf("quiet-01").size() == 1);
        assertThat(rowsOf("quiet-01").get(0).get("value")).isEqualTo(21.5);
    }

    @Test
    void anHdfsOutageHoldsTheExportBackAndLosesOrDuplicatesNothing() throws Exception {
        long failuresBefore = export.stats().get("file_system_failures");
        hdfs.cluster().shutdownNameNode(0);
        try {
            for (int i = 0; i < 30; i++) {
                publish(
                        "outage-01",
                        "{\"values\":[{\"id\":\"SEQ\",\"values\":[" + i + "]},{\"id\":\"X\",\"values\":[1]}]}");
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> export.stats().get("file_system_failures") > failuresBefore);
        } finally {
            hdfs.cluster().restartNameNode(0);
            hdfs.cluster().waitActive();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> rowsOf("outage-01").size() >= 60);
        List<GenericRecord> rows = rowsOf("outage-01");
        assertThat(rows).hasSize(60);
        Map<Object, Long> perSeq = rows.stream()
                .filter(r -> r.get("data_id").toString().equals("SEQ"))
                .collect(Collectors.groupingBy(r -> r.get("value"), Collectors.counting()));
        assertThat(perSeq).hasSize(30).allSatisfy((seq, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void theScheduledExportWritesTheMessageLogAndDataSetAsDatedParquetFiles() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(http.post("/receive", "{\"n\":" + i + ",\"tag\":\"export\"}")
                            .status())
                    .isEqualTo(200);
        }
        assertThat(http.post("/generate", "{\"type\":\"user\",\"num\":5}").status())
                .isEqualTo(200);

        TestHttp.Answer run = http.post("/exports/run", "");
        assertThat(run.status()).isEqualTo(200);
        Map<String, Long> written = new HashMap<>();
        run.json()
                .get("files")
                .forEach(
                        f -> written.put(f.get("source").asText(), f.get("rows").asLong()));
        assertThat(written).containsEntry("messages", 3L).containsEntry("user", 5L);

        String day = "dt=" + LocalDate.now(ZoneOffset.UTC);
        List<GenericRecord> messages = hdfs.parquetRows("/twinflow/exports/messages/" + day);
        assertThat(messages).hasSize(3);
        assertThat(messages.stream().map(r -> (Long) r.get("n")).sorted().toList())
                .containsExactly(0L, 1L, 2L);
        assertThat(messages).allSatisfy(r -> {
            assertThat(r.get("tag").toString()).isEqualTo("export");
            assertThat(r.get("received_by")).isNotNull();
            assertThat((Double) r.get("received_at")).isPositive();
        });
        List<GenericRecord> users = hdfs.parquetRows("/twinflow/exports/dataset/" + day);
        assertThat(users).hasSize(5).allSatisfy(u -> assertThat(u.get("email").toString())
                .contains("@"));

        JsonNode listing = http.get("/exports?path=exports/messages").json();
        assertThat(listing.get("files")).hasSize(1);
        assertThat(listing.get("files").get(0).get("rows").asLong()).isEqualTo(3);
        assertThat(listing.get("files").get(0).get("from").asText())
                .startsWith(LocalDate.now(ZoneOffset.UTC).toString());

        // a second run at once (as every replica's cron fires in the same second) keeps the first file
        String first = run.json().get("files").get(0).get("path").asText();
        String second = http.post("/exports/run", "")
                .json()
                .get("files")
                .get(0)
                .get("path")
                .asText();
        assertThat(second).isNotEqualTo(first);
        assertThat(List.of(first, second)).allSatisfy(p -> assertThat(p).contains("-" + NODE));
        assertThat(hdfs.parquetRows("/twinflow/exports/messages/" + day)).hasSize(6);
    }
}
