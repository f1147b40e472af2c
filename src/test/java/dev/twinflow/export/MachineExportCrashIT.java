package dev.twinflow.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twinflow.ChildApp;
import dev.twinflow.TestHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the app mid-export (child JVM), twice, against a real HDFS: after the restarts every
 * reading is in HDFS exactly once.
 */
class MachineExportCrashIT {

    static MiniHdfs hdfs;

    @TempDir
    Path dir;

    @BeforeAll
    static void startHdfs() {
        hdfs = new MiniHdfs();
    }

    @AfterAll
    static void stopHdfs() {
        hdfs.close();
    }

    @Test
    void everyReadingIsInHdfsExactlyOnceAfterCrashesMidExport() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("child.log");
        int mqttPort = ChildApp.freePort();
        int kafkaPort = ChildApp.freePort();
        String[] common = {
            "--twinflow.hdfs.uri=" + hdfs.uri(),
            "--twinflow.mqtt.embedded-port=" + mqttPort,
            "--twinflow.kafka.embedded-port=" + kafkaPort
        };

        // 1. everything exported by the timer; the last file's offsets are not committed yet (no later batch)
        try (ChildApp app = ChildApp.start(data, log, with(common, "--twinflow.export.max-age=1s"))) {
            publish(mqttPort, 0, 100);
            await().atMost(Duration.ofSeconds(60)).until(() -> exportStat(app, "rows_exported") == 200);
            app.kill();
        }

        // 2. the replay is skipped; then new records, killed while files are open (30 rows per file, 60 s age)
        try (ChildApp app = ChildApp.start(
                data, log, with(common, "--twinflow.export.max-age=60s", "--twinflow.export.max-rows=30"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> exportStat(app, "replays_skipped") > 0);
            publish(mqttPort, 100, 200);
            await().atMost(Duration.ofSeconds(60)).until(() -> recordsOnKafka(kafkaPort) == 200);
            await().atMost(Duration.ofSeconds(60)).until(() -> exportStat(app, "rows_exported") >= 30);
            app.kill();
        }
        assertThat(hdfs.parquetRows("/twinflow/machine_data"))
                .as("some rows were still in open files at the kill")
                .hasSizeLessThan(400);

        // 3. the rest is exported; nothing twice
        try (ChildApp app = ChildApp.start(data, log, with(common, "--twinflow.export.max-age=1s"))) {
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> hdfs.parquetRows("/twinflow/machine_data").size() >= 400);
        }
        List<GenericRecord> rows = hdfs.parquetRows("/twinflow/machine_data");
        assertThat(rows).hasSize(400);
        Map<Object, Long> perSeq = rows.stream()
                .filter(r -> r.get("data_id").toString().equals("SEQ"))
                .collect(Collectors.groupingBy(r -> r.get("value"), Collectors.counting()));
        assertThat(perSeq).hasSize(200).allSatisfy((seq, n) -> assertThat(n).isEqualTo(1));
        assertThat(rows.stream()
                        .map(r -> r.get("kafka_partition") + "/" + r.get("kafka_offset") + "/" + r.get("data_id"))
                        .distinct()
                        .count())
                .isEqualTo(400);
    }

    private static String[] with(String[] common, String... more) {
        String[] all = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, all, common.length, more.length);
        return all;
    }

    /** Messages {@code from..to-1}, each with readings SEQ=i and X=1, over four devices (partitions by key). */
    private static void publish(int mqttPort, int from, int to) throws Exception {
        MqttClient client = new MqttClient(
                "tcp://127.0.0.1:" + mqttPort, "crash-test-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        try {
            for (int i = from; i < to; i++) {
                MqttMessage m = new MqttMessage(
                        ("{\"values\":[{\"id\":\"SEQ\",\"values\":[" + i + "]},{\"id\":\"X\",\"values\":[1]}]}")
                                .getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                client.publish("Query/Response/crash-" + (i % 4), m);
            }
        } finally {
            client.disconnect();
            client.close();
        }
    }

    private static long exportStat(ChildApp app, String name) {
        return new TestHttp(app.port())
                .get("/exports?limit=1")
                .json()
                .get("machine_data")
                .get(name)
                .asLong();
    }

    private static long recordsOnKafka(int kafkaPort) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:" + kafkaPort);
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetSpec> latest = admin
                    .describeTopics(List.of("machine_data"))
                    .allTopicNames()
                    .get()
                    .get("machine_data")
                    .partitions()
                    .stream()
                    .collect(Collectors.toMap(
                            i -> new TopicPartition("machine_data", i.partition()), i -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(o -> o.offset())
                    .sum();
        }
    }
}
