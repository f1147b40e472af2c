package dev.twinflow.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twinflow.settings.TwinflowProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineExportTest {

    @TempDir
    Path dir;

    final DefaultCamelContext camel = new DefaultCamelContext();
    final List<String> committed = new ArrayList<>();

    MachineExport instance(String node) throws Exception {
        return instance(node, Duration.ofHours(1));
    }

    MachineExport instance(String node, Duration maxAge) throws Exception {
        return instance(node, maxAge, 100_000);
    }

    MachineExport instance(String node, Duration maxAge, int maxRows) throws Exception {
        TwinflowProperties twinflow = new TwinflowProperties(
                dir,
                node,
                null,
                new TwinflowProperties.Http(
                        org.springframework.util.unit.DataSize.ofMegabytes(1), 1000, 100000, 256, 0));
        HdfsStore store = new HdfsStore(new HdfsProperties(null, "/twinflow", null), twinflow);
        ExportProperties properties = new ExportProperties(
                RowFormat.PARQUET,
                maxRows,
                maxAge,
                "g",
                Duration.ofMillis(1),
                org.springframework.util.unit.DataSize.ofMegabytes(1),
                "0 0 1 * * *",
                250);
        return new MachineExport(store, properties, twinflow);
    }

    List<Exchange> records(int partition, long from, long to) {
        List<Exchange> batch = new ArrayList<>();
        for (long offset = from; offset <= to; offset++) {
            Exchange e = new DefaultExchange(camel);
            e.getMessage().setHeader(KafkaConstants.PARTITION, partition);
            e.getMessage().setHeader(KafkaConstants.OFFSET, offset);
            e.getMessage().setHeader(KafkaConstants.TIMESTAMP, 1_795_000_000_000L);
            long committedUpTo = offset;
            e.getMessage().setHeader(KafkaConstants.MANUAL_COMMIT, (KafkaManualCommit)
                    () -> committed.add(partition + "@" + committedUpTo));
            e.getMessage()
                    .setBody(("[{\"device_id\":\"d\",\"data_id\":\"SEQ\",\"value\":" + offset + ",\"ts\":1}]")
                            .getBytes(StandardCharsets.UTF_8));
            batch.add(e);
        }
        return batch;
    }

    List<Long> exportedOffsets() throws Exception {
        List<Long> offsets = new ArrayList<>();
        try (var walk = Files.walk(dir.resolve("hdfs/twinflow/machine_data"))) {
            for (Path f : walk.filter(f ->
                            f.toString().endsWith(".parquet") && !f.toString().contains("/_tmp/"))
                    .toList()) {
                try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                                HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))
                        .build()) {
                    for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                        offsets.add((Long) r.get("kafka_offset"));
                    }
                }
            }
        }
        return offsets.stream().sorted().toList();
    }

    @Test
    void aFileOverlappingOneAnotherInstancePublishedIsDroppedAndTheRangeReadAgain() throws Exception {
        MachineExport a = instance("node-a");
        a.write(records(0, 0, 9)); // open, not yet published
        // a rebalance gave the partition to another instance, which exported further from the same commit
        MachineExport b = instance("node-b");
        b.write(records(0, 0, 14));
        b.close();

        a.close(); // a's file would overlap: dropped, not published
        assertThat(exportedOffsets()).containsExactlyElementsOf(range(0, 14));

        // reading again (as after the consumer's reconnect) skips what is exported, writes the rest once
        MachineExport again = instance("node-a");
        again.write(records(0, 0, 19));
        again.close();
        assertThat(exportedOffsets()).containsExactlyElementsOf(range(0, 19));
        assertThat(again.stats().get("replays_skipped")).isEqualTo(15);
    }

    @Test
    void aRebalanceThatSeeksBackToTheCommitWritesNoRowOfTheOpenFileTwice() throws Exception {
        MachineExport a = instance("node-a");
        a.write(records(2, 0, 9)); // open, not yet published, nothing committed
        // partition revoked and assigned again: the consumer reads once more from the committed offset 0
        a.write(records(2, 0, 14));
        a.write(records(2, 12, 19));
        a.close();
        assertThat(exportedOffsets()).containsExactlyElementsOf(range(0, 19));
        assertThat(a.stats().get("replays_skipped")).isEqualTo(13);
    }

    @Test
    void aTimerPublishThatFindsAnOverlapMakesTheNextBatchFailSoTheConsumerReadsAgain() throws Exception {
        MachineExport a = instance("node-a", Duration.ofSeconds(2));
        a.write(records(1, 0, 4)); // open for 2 s
        MachineExport b = instance("node-b");
        b.write(records(1, 0, 7));
        b.close();

        // the timer: once due, a's file meets b's and is dropped
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            a.publishDueOrDrop();
            return a.stats().get("file_system_failures") == 1;
        });
        assertThat(exportedOffsets()).containsExactlyElementsOf(range(0, 7));
        assertThatThrownBy(() -> a.write(records(1, 5, 6)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("committed offsets");
        // the consumer reads again from the commit: nothing twice, nothing missing
        a.write(records(1, 0, 9));
        a.close();
        assertThat(exportedOffsets()).containsExactlyElementsOf(range(0, 9));
    }

    @Test
    void aBatchLeavesTheCommitsOfTheFilesPublishedDuringItNotItsOwnLastOffsets() throws Exception {
        MachineExport a = instance("node-a", Duration.ofHours(1), 4);
        // a full file (0-3) is published; 4 and 5 wait in the next one
        a.write(records(0, 0, 5)).forEach(KafkaManualCommit::commit);
        assertThat(committed).containsExactly("0@3");
        assertThat(exportedOffsets()).containsExactlyElementsOf(range(0, 3));

        // nothing published: nothing to commit
        a.write(records(0, 6, 6)).forEach(KafkaManualCommit::commit);
        assertThat(committed).containsExactly("0@3");

        // the file spans batches: published with the batch that fills it, committed at its last offset
        a.write(records(0, 7, 9)).forEach(KafkaManualCommit::commit);
        assertThat(committed).containsExactly("0@3", "0@7");
        a.close();
        assertThat(exportedOffsets()).containsExactlyElementsOf(range(0, 9));
    }

    static List<Long> range(long from, long to) {
        List<Long> r = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }

    static List<GenericRecord> rows(String json) {
        return new ReadingRows().rows(json.getBytes(StandardCharsets.UTF_8), 2, 41);
    }

    @Test
    void aRecordsReadingsBecomeRowsWithTheirKafkaPosition() {
        List<GenericRecord> rows = rows("[{\"device_id\":\"p1\",\"data_id\":\"X\",\"value\":12.5,\"ts\":1000},"
                + "{\"device_id\":\"p1\",\"data_id\":\"STATE\",\"value\":null,\"value_text\":\"RUNNING\",\"ts\":1001,"
                + "\"extra\":{\"ignored\":[1,2]}}]");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("device_id")).isEqualTo("p1");
        assertThat(rows.get(0).get("value")).isEqualTo(12.5);
        assertThat(rows.get(0).get("value_text")).isNull();
        assertThat(rows.get(0).get("ts")).isEqualTo(1000L);
        assertThat(rows.get(1).get("value")).isNull();
        assertThat(rows.get(1).get("value_text")).isEqualTo("RUNNING");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("kafka_partition")).isEqualTo(2);
            assertThat(r.get("kafka_offset")).isEqualTo(41L);
        });
    }

    @Test
    void whatIsNotACompleteArrayOfReadingsIsUnreadable() {
        assertThat(rows("{\"device_id\":\"p1\"}")).isNull();
        assertThat(rows("[{\"device_id\":\"p1\",\"value\":1}")).isNull();
        assertThat(rows("not json")).isNull();
        assertThat(rows("[]")).isEmpty();
    }

    @Test
    void itemsThatAreNotReadingsAreSkippedWithTheirReasonAndTheOthersBecomeRows() {
        ReadingRows parser = new ReadingRows();
        assertThat(parser.rows("[1,2]".getBytes(StandardCharsets.UTF_8), 2, 41)).isEmpty();
        assertThat(parser.invalid()).hasSize(2);

        List<GenericRecord> rows = parser.rows(
                ("[{\"data_id\":\"X\",\"value\":1,\"ts\":1},"
                                + "{\"device_id\":\"p1\",\"data_id\":\"X\",\"value\":2,\"ts\":2}]")
                        .getBytes(StandardCharsets.UTF_8),
                2,
                41);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("value")).isEqualTo(2.0);
        assertThat(parser.invalid()).singleElement().satisfies(i -> assertThat(i.reason())
                .contains("device_id"));
    }
}
