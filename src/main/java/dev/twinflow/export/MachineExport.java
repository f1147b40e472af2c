package dev.twinflow.export;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.Json;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Exports {@code machine_data} to files, exactly once per Kafka partition.
 *
 * <p>Each partition has at most one open file, written under a temporary name in {@code
 * machine_data/_tmp/<node>/}. It is closed ({@code hsync}) and renamed to {@code
 * machine_data/dt=YYYY-MM-DD/hour=HH/machine_data+<partition>+<first offset>+<last offset>.<ext>} when
 * it holds {@code max-rows} readings, when it is {@code max-age} old (checked by a timer too, so a
 * quiet partition's file closes on time), when a record of another hour (Kafka timestamp, UTC)
 * arrives, and when the app stops. Offsets are committed only after the rename.
 *
 * <p>Exactly once: the offset ranges in the published file names say what is exported. Before a
 * partition's new file is opened, the names are read back from the file system, and records at or
 * below the highest exported offset are skipped. A replay after a crash (rows renamed, offsets not yet
 * committed), or another instance that exported a partition meanwhile, never writes a row twice; the
 * names are read again before a file is renamed, so a file that overlaps one another instance published
 * after a rebalance is dropped instead. After a rebalance the consumer also seeks back to the committed
 * offset while the partition's file is still open: records at or below the open file's last offset
 * are in it already and are skipped. Reading the names and renaming hold the partition's lock
 * ({@code machine_data/_locks/partition-<n>}, a file created only if absent), so two instances
 * never both publish overlapping files. When the file system fails (or such an overlap is found), every
 * open file is dropped and the batch fails, so the consumer reconnects and reads again from the
 * committed offsets, after {@code retry-wait}.
 */
@Component
public class MachineExport {

    private static final Logger LOG = LoggerFactory.getLogger(MachineExport.class);
    static final String TOPIC_DIR = "machine_data";
    private static final Pattern FILE = Pattern.compile("machine_data\\+(\\d+)\\+(\\d+)\\+(\\d+)\\.[a-z]+");
    // a publish holds its partition's lock for milliseconds; one this old was left by a crash
    private static final java.time.Duration LOCK_STALE = java.time.Duration.ofSeconds(30);
    private static final java.time.Duration LOCK_WAIT = java.time.Duration.ofSeconds(40);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd/'hour='HH").withZone(ZoneOffset.UTC);

    /** The columns of machine-data files. */
    public static final Schema READING = SchemaBuilder.record("MachineReading")
            .namespace("dev.twinflow.export")
            .fields()
            .requiredString("device_id")
            .requiredString("data_id")
            .name("ts")
            .type(org.apache.avro.LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault()
            .optionalDouble("value")
            .optionalString("value_text")
            .requiredInt("kafka_partition")
            .requiredLong("kafka_offset")
            .endRecord();

    private final HdfsStore store;
    private final ExportProperties properties;
    private final Path topicDir;
    private final Path tmpDir;
    private final Map<Integer, OpenFile> open = new HashMap<>();
    // highest offset in a published file, and the day folder it is in, per partition
    private final Map<Integer, Long> exportedUpTo = new HashMap<>();
    private final Map<Integer, String> exportedDay = new HashMap<>();
    private final Map<Integer, KafkaManualCommit> pendingCommits = new LinkedHashMap<>();
    private final AtomicLong rowsExported = new AtomicLong();
    private final AtomicLong filesPublished = new AtomicLong();
    private final AtomicLong replaysSkipped = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private boolean scanned;
    private boolean rewind;
    private long failedAt;

    MachineExport(HdfsStore store, ExportProperties properties, TwinflowProperties twinflow) {
        this.store = store;
        this.properties = properties;
        this.topicDir = new Path(store.root(), TOPIC_DIR);
        this.tmpDir = new Path(new Path(topicDir, "_tmp"), twinflow.nodeName());
    }

    /** The route's step: adds a polled batch to the open files, publishes full ones, commits published ones. */
    public synchronized void write(List<Exchange> batch) throws InterruptedException {
        waitAfterFailure();
        if (rewind) {
            rewind = false;
            throw new IllegalStateException(
                    "files were dropped after a file system failure: reading again from" + " the committed offsets");
        }
        try {
            if (!scanned) {
                store.deleteQuietly(tmpDir);
                scanAll();
                scanned = true;
            }
            for (Exchange record : batch) {
                add(record.getMessage());
            }
            publishDue();
        } catch (IOException | RuntimeException e) {
            failed(e);
            // this failure already makes the consumer read again
            rewind = false;
            throw new UncheckedIOException(
                    "export to " + topicDir + " failed, batch not committed: " + e,
                    e instanceof IOException io ? io : new IOException(e));
        }
        commitPublished();
    }

    /** The timer's step: publishes files that reached max-age, with or without traffic. */
    public synchronized void publishDue() throws IOException {
        long now = System.nanoTime();
        for (OpenFile f : new ArrayList<>(open.values())) {
            if (now - f.openedAt >= properties.maxAge().toNanos()) {
                publish(f);
            }
        }
    }

    /**
     * Called by the timer route: a failure there drops the open files; the answer is then true and the
     * route restarts the consumer, so the dropped records are read again from the commits even when
     * no new record arrives.
     */
    public synchronized boolean publishDueOrDrop() {
        try {
            publishDue();
            return false;
        } catch (IOException | RuntimeException e) {
            failed(e);
            LOG.warn("export: could not publish a due file, the consumer reads it again: {}", e.toString());
            return true;
        }
    }

    private void add(Message record) throws IOException {
        int partition = record.getHeader(KafkaConstants.PARTITION, Integer.class);
        long offset = record.getHeader(KafkaConstants.OFFSET, Long.class);
        long timestamp = record.getHeader(KafkaConstants.TIMESTAMP, Long.class);
        if (offset <= exportedUpTo.getOrDefault(partition, -1L)) {
            replaysSkipped.incrementAndGet();
            return;
        }
        OpenFile file = open.get(partition);
        if (file != null && offset <= file.lastOffset) {
            // a rebalance (or a reconnect) seeks back to the committed offset: these records are in
            // the open file already
            replaysSkipped.incrementAndGet();
            return;
        }
        String hour = HOUR.format(Instant.ofEpochMilli(timestamp));
        if (file != null && !file.hour.equals(hour)) {
            publish(file);
            file = null;
        }
        if (file == null) {
            // another instance (or this one before a crash) may have exported further meanwhile
            scanFrom(exportedDay.get(partition));
            if (offset <= exportedUpTo.getOrDefault(partition, -1L)) {
                replaysSkipped.incrementAndGet();
                return;
            }
            file = new OpenFile(partition, offset, hour);
            open.put(partition, file);
        }
        List<GenericRecord> rows = rows(record.getBody(byte[].class), partition, offset);
        if (rows == null) {
            unreadable.incrementAndGet();
            LOG.warn("export: skipped machine_data record {}/{}: not a JSON array of readings", partition, offset);
        } else {
            for (GenericRecord row : rows) {
                file.writer.write(row);
            }
        }
        file.lastOffset = offset;
        file.lastCommit = record.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (file.writer.rows() >= properties.maxRows()) {
            publish(file);
        }
    }

    /** The readings of one record, parsed as a stream (no JSON tree); null if it is not an array of readings. */
    static List<GenericRecord> rows(byte[] json, int partition, long offset) {
        List<GenericRecord> rows = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                GenericRecord row = new GenericData.Record(READING);
                row.put("device_id", "");
                row.put("data_id", "");
                row.put("ts", 0L);
                row.put("kafka_partition", partition);
                row.put("kafka_offset", offset);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (name) {
                        case "device_id" -> row.put("device_id", p.getValueAsString(""));
                        case "data_id" -> row.put("data_id", p.getValueAsString(""));
                        case "value" -> row.put("value", value.isNumeric() ? p.getDoubleValue() : null);
                        case "value_text" -> row.put("value_text", p.getValueAsString());
                        case "ts" -> row.put("ts", p.getValueAsLong());
                        default -> p.skipChildren();
                    }
                }
                rows.add(row);
            }
            return t == JsonToken.END_ARRAY ? rows : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void publish(OpenFile f) throws IOException {
        f.writer.close();
        // the scan and the rename are one step across instances: after a rebalance the old and the new
        // owner of a partition may both hold a file from the same offset, and both may be due at once
        Path lock = new Path(new Path(topicDir, "_locks"), "partition-" + f.partition);
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (!store.tryLock(lock, LOCK_STALE)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("partition " + f.partition + "'s publish lock " + lock + " is held");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + lock, e);
            }
        }
        try {
            publishLocked(f);
        } finally {
            store.unlock(lock);
        }
    }

    private void publishLocked(OpenFile f) throws IOException {
        // after a rebalance, another instance may have exported this partition from the committed
        // offset meanwhile: then this file overlaps, and the failure path re-reads from the commits
        scanFrom(exportedDay.get(f.partition));
        if (exportedUpTo.getOrDefault(f.partition, -1L) >= f.firstOffset) {
            open.remove(f.partition);
            store.deleteQuietly(f.tmp);
            throw new IOException("partition " + f.partition + " was exported up to offset "
                    + exportedUpTo.get(f.partition) + " by another instance; this file from offset "
                    + f.firstOffset + " is dropped");
        }
        String name = String.format(
                "machine_data+%d+%020d+%020d.%s",
                f.partition, f.firstOffset, f.lastOffset, properties.format().extension());
        if (!store.publish(f.tmp, new Path(new Path(topicDir, f.hour), name))) {
            // the same partition and offsets, published before a crash: the same rows
            store.deleteQuietly(f.tmp);
        }
        open.remove(f.partition);
        exportedUpTo.put(f.partition, f.lastOffset);
        exportedDay.put(f.partition, f.hour.substring(0, f.hour.indexOf('/')));
        if (f.lastCommit != null) {
            pendingCommits.put(f.partition, f.lastCommit);
        }
        rowsExported.addAndGet(f.writer.rows());
        filesPublished.incrementAndGet();
        LOG.debug("export: published {} ({} readings)", name, f.writer.rows());
    }

    // on the consumer's thread only: a Kafka consumer is not thread safe
    private void commitPublished() {
        for (KafkaManualCommit commit : pendingCommits.values()) {
            try {
                commit.commit();
            } catch (RuntimeException e) {
                // the consumer was replaced (reconnect, rebalance): the next file's commit covers it
                LOG.debug("export: commit of an earlier consumer skipped: {}", e.toString());
            }
        }
        pendingCommits.clear();
    }

    private void failed(Exception e) {
        LOG.warn("export: file system failed, dropping {} open file(s): {}", open.size(), e.toString());
        for (OpenFile f : open.values()) {
            try {
                f.writer.close();
            } catch (IOException | RuntimeException ignored) {
                // dropped anyway
            }
            store.deleteQuietly(f.tmp);
        }
        open.clear();
        pendingCommits.clear();
        // published names are read back before the next file of each partition
        scanned = false;
        rewind = true;
        failedAt = System.nanoTime();
        failures.incrementAndGet();
    }

    private void waitAfterFailure() throws InterruptedException {
        if (failedAt == 0) {
            return;
        }
        long left = properties.retryWait().toNanos() - (System.nanoTime() - failedAt);
        if (left > 0) {
            wait(left / 1_000_000 + 1);
        }
        failedAt = 0;
    }

    private void scanAll() throws IOException {
        exportedUpTo.clear();
        exportedDay.clear();
        scanFrom(null);
    }

    /** Reads published offset ranges from the day folders from {@code day} (minus one) on; all if null. */
    private void scanFrom(String day) throws IOException {
        String from = day == null
                ? null
                : "dt=" + java.time.LocalDate.parse(day.substring(3)).minusDays(1);
        for (FileStatus folder : store.folders(topicDir)) {
            String name = folder.getPath().getName();
            if (!name.startsWith("dt=") || (from != null && name.compareTo(from) < 0)) {
                continue;
            }
            for (FileStatus file : store.files(folder.getPath())) {
                Matcher m = FILE.matcher(file.getPath().getName());
                if (m.matches()) {
                    int partition = Integer.parseInt(m.group(1));
                    long last = Long.parseLong(m.group(3));
                    if (last > exportedUpTo.getOrDefault(partition, -1L)) {
                        exportedUpTo.put(partition, last);
                        exportedDay.put(partition, name);
                    }
                }
            }
        }
    }

    /** Graceful shutdown: the open files are published (their offsets are committed by the next run's skip). */
    @PreDestroy
    public synchronized void close() {
        for (OpenFile f : new ArrayList<>(open.values())) {
            try {
                publish(f);
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "export: could not publish {} at shutdown; it is exported again at the next start: {}",
                        f.tmp,
                        e.toString());
                store.deleteQuietly(f.tmp);
            }
        }
        open.clear();
    }

    /** Counters for {@code GET /exports} and metrics. */
    public Map<String, Long> stats() {
        return Map.of(
                "rows_exported", rowsExported.get(),
                "files_published", filesPublished.get(),
                "replays_skipped", replaysSkipped.get(),
                "unreadable_records", unreadable.get(),
                "file_system_failures", failures.get());
    }

    private final class OpenFile {
        final int partition;
        final long firstOffset;
        final String hour;
        final Path tmp;
        final RowWriter writer;
        final long openedAt = System.nanoTime();
        long lastOffset;
        KafkaManualCommit lastCommit;

        OpenFile(int partition, long firstOffset, String hour) throws IOException {
            this.partition = partition;
            this.firstOffset = firstOffset;
            this.lastOffset = firstOffset;
            this.hour = hour;
            this.tmp = new Path(tmpDir, "machine_data+" + partition + "+" + firstOffset + "." + UUID.randomUUID());
            this.writer = RowWriter.open(
                    properties.format(),
                    store.create(tmp),
                    READING,
                    properties.rowGroupSize().toBytes());
        }
    }
}
