package dev.twinflow.export;

import dev.twinflow.readings.ReadingArray;
import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.KafkaBatches;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Exports {@code machine_data} to files, exactly once per Kafka partition: the route's bean.
 *
 * <p>Each partition has at most one open file ({@link OpenFiles}). It is closed ({@code hsync}) and renamed
 * to {@code machine_data/dt=YYYY-MM-DD/hour=HH/machine_data+<partition>+<first offset>+<last offset>.<ext>}
 * ({@link FilePublisher}) when it holds {@code max-rows} readings, when it is {@code max-age} old (checked
 * by a timer too), when a record of another hour (Kafka timestamp, UTC) arrives, and when the app stops.
 * Offsets are committed only after the rename: the commits of the files published since the last batch
 * are left on the batch's exchange, and the route's last step ({@code kafkaBatches.commit}) makes them.
 *
 * <p>Exactly once: records at or below a partition's highest published offset ({@link PublishedOffsets},
 * read back from the file names before a partition's new file opens and before a rename) are skipped, as
 * are records at or below the open file's last offset (the consumer seeks back to the commit after a
 * rebalance). A replay after a crash or another instance's exports never write a row twice; a file that
 * overlaps one another instance published is dropped. When the file system fails (or such an overlap is
 * found), every open file is dropped and the batch fails, so the consumer reads again from the committed
 * offsets, after {@code retry-wait} ({@link BackOff}).
 */
@Component
public class MachineExport {

    private static final Logger LOG = LoggerFactory.getLogger(MachineExport.class);
    static final String TOPIC_DIR = "machine_data";

    /** The columns of machine-data files. */
    public static final Schema READING = ReadingRows.SCHEMA;

    private final ExportProperties properties;
    private final Path topicDir;
    private final OpenFiles open;
    private final PublishedOffsets offsets;
    private final FilePublisher publisher;
    private final BackOff backOff;
    private final ReadingRows readingRows = new ReadingRows();
    private final ExportStats stats = new ExportStats();
    private boolean scanned;

    MachineExport(HdfsStore store, ExportProperties properties, TwinflowProperties twinflow) {
        this.properties = properties;
        this.topicDir = new Path(store.root(), TOPIC_DIR);
        this.open = new OpenFiles(store, properties, new Path(new Path(topicDir, "_tmp"), twinflow.nodeName()));
        this.offsets = new PublishedOffsets(store, topicDir);
        this.publisher = new FilePublisher(store, topicDir, properties.format(), offsets, stats);
        this.backOff = new BackOff(properties.retryWait());
    }

    /**
     * The route's step: adds a polled batch to the open files and publishes full ones; the commits of the
     * files published since the last batch are left on {@code exchange} for {@code kafkaBatches.commit}.
     */
    public void write(List<Exchange> batch, Exchange exchange) throws InterruptedException {
        KafkaBatches.rememberDue(write(batch), exchange);
    }

    /** Adds a polled batch to the open files, publishes full ones; the commits that became due. */
    synchronized List<KafkaManualCommit> write(List<Exchange> batch) throws InterruptedException {
        long wait = backOff.takeWait();
        if (wait > 0) {
            wait(wait); // the timer and the shutdown may publish meanwhile
        }
        if (backOff.takeRewind()) {
            throw new IllegalStateException(
                    "files were dropped after a file system failure: reading again from the committed offsets");
        }
        try {
            if (!scanned) {
                open.clearLeftovers();
                offsets.scanAll();
                scanned = true;
            }
            for (Exchange record : batch) {
                add(record.getMessage());
            }
            publishDue();
        } catch (IOException | RuntimeException e) {
            // this failure already makes the consumer read again
            failed(e, false);
            throw new UncheckedIOException(
                    "export to " + topicDir + " failed, batch not committed: " + e,
                    e instanceof IOException io ? io : new IOException(e));
        }
        // files published by the timer meanwhile too: committed on the consumer's thread
        return publisher.takeDue();
    }

    /** The timer's step: publishes files that reached max-age, with or without traffic. */
    public synchronized void publishDue() throws IOException {
        for (PartitionFile f : open.due(System.nanoTime())) {
            publish(f);
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
            failed(e, true);
            LOG.warn("export: could not publish a due file, the consumer reads it again: {}", e.toString());
            return true;
        }
    }

    private void add(Message record) throws IOException {
        int partition = record.getHeader(KafkaConstants.PARTITION, Integer.class);
        long offset = record.getHeader(KafkaConstants.OFFSET, Long.class);
        long timestamp = record.getHeader(KafkaConstants.TIMESTAMP, Long.class);
        if (offset <= offsets.upTo(partition)) {
            stats.replaysSkipped.incrementAndGet();
            return;
        }
        PartitionFile file = open.get(partition);
        if (file != null && offset <= file.lastOffset()) {
            // a rebalance (or a reconnect) seeks back to the committed offset: these records are in
            // the open file already
            stats.replaysSkipped.incrementAndGet();
            return;
        }
        String hour = PartitionFile.hourOf(timestamp);
        if (file != null && !file.hour.equals(hour)) {
            publish(file);
            file = null;
        }
        if (file == null) {
            // another instance (or this one before a crash) may have exported further meanwhile
            offsets.rescan(partition);
            if (offset <= offsets.upTo(partition)) {
                stats.replaysSkipped.incrementAndGet();
                return;
            }
            file = open.open(partition, offset, hour);
        }
        List<GenericRecord> rows = readingRows.rows(record.getBody(byte[].class), partition, offset);
        if (rows == null) {
            stats.unreadable.incrementAndGet();
            LOG.warn("export: skipped machine_data record {}/{}: not a JSON array of readings", partition, offset);
        } else {
            file.write(rows);
            for (ReadingArray.Invalid item : readingRows.invalid()) {
                stats.invalidReadings.incrementAndGet();
                LOG.warn("export: skipped an item of machine_data record {}/{}: {}", partition, offset, item.reason());
            }
        }
        file.added(offset, record.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class));
        if (file.rows() >= properties.maxRows()) {
            publish(file);
        }
    }

    private void publish(PartitionFile f) throws IOException {
        open.remove(f);
        publisher.publish(f);
    }

    private void failed(Exception e, boolean rewind) {
        int dropped = open.dropAll();
        LOG.warn("export: file system failed, dropped {} open file(s): {}", dropped, e.toString());
        publisher.forgetDue();
        // published names are read back before the next file of each partition
        scanned = false;
        backOff.failed(rewind);
        stats.failures.incrementAndGet();
    }

    /** Graceful shutdown: the open files are published (their offsets are committed by the next run's skip). */
    @PreDestroy
    public synchronized void close() {
        for (PartitionFile f : open.all()) {
            try {
                publish(f);
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "export: could not publish {} at shutdown; it is exported again at the next start: {}",
                        f.tmp,
                        e.toString());
            }
        }
    }

    /** Counters for {@code GET /exports} and metrics. */
    public Map<String, Long> stats() {
        return stats.asMap();
    }
}
