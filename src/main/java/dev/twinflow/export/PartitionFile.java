package dev.twinflow.export;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.hadoop.fs.Path;

/** A partition's open file: rows of one hour from {@code firstOffset} on, under a temporary name until published. */
final class PartitionFile {

    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd/'hour='HH").withZone(ZoneOffset.UTC);

    final int partition;
    final long firstOffset;
    /** {@code dt=YYYY-MM-DD/hour=HH} of the Kafka timestamps (UTC) of its records. */
    final String hour;

    final Path tmp;
    final long openedAt = System.nanoTime();
    private final HdfsStore store;
    private final RowWriter writer;
    private long lastOffset;
    private KafkaManualCommit lastCommit;

    PartitionFile(
            HdfsStore store, ExportProperties properties, Path tmpDir, int partition, long firstOffset, String hour)
            throws IOException {
        this.store = store;
        this.partition = partition;
        this.firstOffset = firstOffset;
        this.lastOffset = firstOffset;
        this.hour = hour;
        this.tmp = new Path(tmpDir, "machine_data+" + partition + "+" + firstOffset + "." + UUID.randomUUID());
        this.writer = RowWriter.open(
                properties.format(),
                store.create(tmp),
                ReadingRows.SCHEMA,
                properties.rowGroupSize().toBytes());
    }

    /** The folder of a record's file: {@code dt=YYYY-MM-DD/hour=HH} of its Kafka timestamp (ms), UTC. */
    static String hourOf(long timestamp) {
        return HOUR.format(Instant.ofEpochMilli(timestamp));
    }

    void write(List<GenericRecord> rows) throws IOException {
        for (GenericRecord row : rows) {
            writer.write(row);
        }
    }

    /** The record at {@code offset} is in the file (its rows, if any, written); {@code commit} commits up to it. */
    void added(long offset, KafkaManualCommit commit) {
        lastOffset = offset;
        lastCommit = commit;
    }

    long lastOffset() {
        return lastOffset;
    }

    /** The commit of the file's last record; null where the records carry none. */
    KafkaManualCommit lastCommit() {
        return lastCommit;
    }

    long rows() {
        return writer.rows();
    }

    /** Closes the file, durably ({@code hsync}): it can be renamed into place then. */
    void close() throws IOException {
        writer.close();
    }

    /** The name it is published under: {@code machine_data+<partition>+<first offset>+<last offset>.<ext>}. */
    String publishedName(RowFormat format) {
        return String.format("machine_data+%d+%020d+%020d.%s", partition, firstOffset, lastOffset, format.extension());
    }

    /** Gives the file up: closed if it can be, its temporary file deleted. */
    void drop() {
        try {
            writer.close();
        } catch (IOException | RuntimeException ignored) {
            // dropped anyway
        }
        store.deleteQuietly(tmp);
    }
}
