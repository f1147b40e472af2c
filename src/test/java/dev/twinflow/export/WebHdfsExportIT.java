package dev.twinflow.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.AppIT;
import dev.twinflow.TestDevice;
import dev.twinflow.TestHttp;
import dev.twinflow.embedded.MqttEngine;
import dev.twinflow.settings.TwinflowProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The machine-data export with {@code twinflow.hdfs.uri=webhdfs://...} (seed 004's {@code
 * HDFS_WEB_API_URL}): the app speaks only HTTP to a real name node (MiniDFSCluster's HTTP port) and its
 * data node; what it published is read back through hdfs:// and through WebHDFS.
 */
class WebHdfsExportIT extends AppIT {

    static final int MESSAGES = 60;
    static MiniHdfs hdfs;

    @DynamicPropertySource
    static void export(DynamicPropertyRegistry registry) {
        registry.add("twinflow.hdfs.uri", () -> hdfs().webHdfsUri());
        registry.add("twinflow.export.max-age", () -> "2s");
        // two readings a message: several files per partition
        registry.add("twinflow.export.max-rows", () -> "20");
        registry.add("twinflow.export.retry-wait", () -> "1s");
        registry.add("twinflow.node-name", () -> "webhdfs-node");
    }

    static synchronized MiniHdfs hdfs() {
        if (hdfs == null) {
            hdfs = new MiniHdfs();
        }
        return hdfs;
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Autowired
    MqttEngine mqtt;

    @Autowired
    TwinflowProperties twinflow;

    @Autowired
    MachineExport export;

    /** Exported rows (read through hdfs://) of the devices whose names start with {@code prefix}. */
    static List<GenericRecord> rowsOf(String prefix) throws Exception {
        return hdfs.parquetRows("/twinflow/machine_data").stream()
                .filter(r -> r.get("device_id").toString().startsWith(prefix))
                .toList();
    }

    /** How often each SEQ value is among {@code rows}. */
    static Map<Object, Long> seqCounts(List<GenericRecord> rows) {
        return rows.stream()
                .filter(r -> r.get("data_id").toString().equals("SEQ"))
                .collect(Collectors.groupingBy(r -> r.get("value"), Collectors.counting()));
    }

    HdfsStore store(String root, String user) throws Exception {
        return new HdfsStore(new HdfsProperties(URI.create(hdfs.webHdfsUri()), root, user), twinflow);
    }

    @Test
    void machineReadingsArePublishedOverWebHdfsEachExactlyOnceAndListed() throws Exception {
        try (TestDevice device = TestDevice.connect(mqtt.url(), "webhdfs-test-")) {
            for (int i = 0; i < MESSAGES; i++) {
                device.publish(
                        "Query/Response/web-" + (i % 4),
                        "{\"values\":[{\"id\":\"SEQ\",\"values\":[" + i + "]},{\"id\":\"X\",\"values\":[1]}]}");
            }
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> rowsOf("web-").size() >= 2 * MESSAGES);
        List<GenericRecord> rows = rowsOf("web-");
        assertThat(rows).hasSize(2 * MESSAGES);
        assertThat(seqCounts(rows)).hasSize(MESSAGES).allSatisfy((seq, n) -> assertThat(n)
                .isEqualTo(1));

        List<Path> files = hdfs.files("/twinflow/machine_data", "parquet");
        assertThat(files).hasSizeGreaterThan(1).allSatisfy(f -> assertThat(
                        f.toUri().getPath())
                .matches("/twinflow/machine_data/dt=\\d{4}-\\d\\d-\\d\\d/hour=\\d\\d/"
                        + "machine_data\\+\\d+\\+\\d{20}\\+\\d{20}\\.parquet"));
        // every temporary file was renamed (or removed): none is left open with nothing arriving
        assertThat(hdfs.fs()
                        .listFiles(new Path("/twinflow/machine_data/_tmp"), true)
                        .hasNext())
                .isFalse();

        // the same rows through WebHDFS
        try (FileSystem web = FileSystem.newInstance(URI.create(hdfs.webHdfsUri()), new Configuration())) {
            assertThat(MiniHdfs.parquetRows(web, "/twinflow/machine_data").stream()
                            .filter(r -> r.get("device_id").toString().startsWith("web-")))
                    .hasSize(rows.size());
        }

        TestHttp http = new TestHttp(httpPort);
        assertThat(http.get("/actuator/health")
                        .json()
                        .at("/components/hdfs/status")
                        .asText())
                .isEqualTo("UP");
        JsonNode listing = http.get("/exports?path=machine_data").json();
        assertThat(listing.get("root").asText()).isEqualTo(hdfs.webHdfsUri() + "/twinflow");
        assertThat(listing.get("total").asInt()).isEqualTo(files.size());
        assertThat(listing.get("files")).hasSize(files.size());
        long listed = 0;
        for (JsonNode f : listing.get("files")) {
            assertThat(f.get("path").asText()).startsWith("machine_data/dt=");
            assertThat(f.get("format").asText()).isEqualTo("parquet");
            assertThat(f.get("from").asText()).isNotEmpty();
            listed += f.get("rows").asLong();
        }
        assertThat(listed).isEqualTo(hdfs.parquetRows("/twinflow/machine_data").size());
    }

    @Test
    void aNameNodeOutageHoldsTheExportBackAndLosesOrDuplicatesNothing() throws Exception {
        long failuresBefore = export.stats().get("file_system_failures");
        hdfs.cluster().shutdownNameNode(0);
        try (TestDevice device = TestDevice.connect(mqtt.url(), "webhdfs-outage-")) {
            for (int i = 0; i < 30; i++) {
                device.publish(
                        "Query/Response/outage-01",
                        "{\"values\":[{\"id\":\"SEQ\",\"values\":[" + i + "]},{\"id\":\"X\",\"values\":[1]}]}");
            }
            // the WebHDFS client tries a non-HA name node once: the export's own retry takes over
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> export.stats().get("file_system_failures") > failuresBefore);
        } finally {
            hdfs.cluster().restartNameNode(0);
            hdfs.cluster().waitActive();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> rowsOf("outage-01").size() >= 60);
        List<GenericRecord> rows = rowsOf("outage-01");
        assertThat(rows).hasSize(60);
        assertThat(seqCounts(rows)).hasSize(30).allSatisfy((seq, n) -> assertThat(n)
                .isEqualTo(1));
    }

    @Test
    void publishingOverWebHdfsNeverReplacesAFileOfTheSameName() throws Exception {
        HdfsStore store = store("/store-check", null);
        try {
            Path target = new Path(store.root(), "x/snapshot.jsonl");
            Path first = new Path(store.root(), "_tmp/a+1");
            Path second = new Path(store.root(), "_tmp/b+2");
            try (var out = store.create(first)) {
                out.write("first\n".getBytes(StandardCharsets.UTF_8));
            }
            try (var out = store.create(second)) {
                out.write("second\n".getBytes(StandardCharsets.UTF_8));
            }

            assertThat(store.publish(first, target)).isTrue();
            assertThat(store.publish(second, target)).isFalse();

            try (FSDataInputStream in = hdfs.fs().open(new Path("/store-check/x/snapshot.jsonl"))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("first\n");
            }
            assertThat(store.exists(first)).isFalse();
            assertThat(store.exists(second)).isTrue(); // left to the caller
        } finally {
            store.close();
        }
    }

    @Test
    void aLockOverWebHdfsIsHeldByOneCallerUntilReleased() throws Exception {
        HdfsStore store = store("/lock-check", null);
        HdfsStore other = store("/lock-check", null);
        try {
            Path lock = new Path(store.root(), "_locks/partition-0");
            Duration stale = Duration.ofSeconds(30);
            assertThat(store.tryLock(lock, stale)).isTrue();
            assertThat(store.tryLock(lock, stale)).isFalse();
            assertThat(other.tryLock(lock, stale)).as("another instance").isFalse();
            assertThat(hdfs.fs().exists(new Path("/lock-check/_locks/partition-0")))
                    .isTrue();

            store.unlock(lock);
            assertThat(hdfs.fs().exists(new Path("/lock-check/_locks/partition-0")))
                    .isFalse();
            assertThat(other.tryLock(lock, stale)).isTrue();
            assertThat(store.tryLock(lock, stale)).isFalse();
            other.unlock(lock);
        } finally {
            store.close();
            other.close();
        }
    }

    @Test
    void theSeedsWebHdfsAddressIsAcceptedAsIs() throws Exception {
        // seed 004's HDFS_WEB_API_URL form: http://host:9870/webhdfs/v1
        URI seed = URI.create(hdfs.webHdfsUri().replace("webhdfs://", "http://") + "/webhdfs/v1");
        HdfsStore store = new HdfsStore(new HdfsProperties(seed, "/seed-address", null), twinflow);
        try {
            assertThat(store.root().toString()).isEqualTo(hdfs.webHdfsUri() + "/seed-address");
            Path tmp = new Path(store.root(), "_tmp/f");
            try (var out = store.create(tmp)) {
                out.write("row\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(store.publish(tmp, new Path(store.root(), "f.jsonl"))).isTrue();
            assertThat(hdfs.fs().exists(new Path("/seed-address/f.jsonl"))).isTrue();
        } finally {
            store.close();
        }
    }

    @Test
    void filesAreWrittenAsTheConfiguredUser() throws Exception {
        // seed 004's user.name: the folder belongs to that user, who alone may write in it
        Path folder = new Path("/as-user");
        hdfs.fs().mkdirs(folder, new FsPermission((short) 0755));
        hdfs.fs().setOwner(folder, "export-user", "export-user");
        HdfsStore store = store("/as-user", "export-user");
        try {
            Path tmp = new Path(store.root(), "_tmp/f");
            try (var out = store.create(tmp)) {
                out.write("row\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(store.publish(tmp, new Path(store.root(), "f.jsonl"))).isTrue();
            assertThat(hdfs.fs().getFileStatus(new Path("/as-user/f.jsonl")).getOwner())
                    .isEqualTo("export-user");
        } finally {
            store.close();
        }
    }
}
