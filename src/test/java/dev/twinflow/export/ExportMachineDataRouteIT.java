package dev.twinflow.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The export-machine-data route with a direct: source instead of Kafka: a file is committed by the route's
 * last step ({@code kafkaBatches.commit}) once it is published, at its own last offset, not the batch's.
 */
@CamelSpringBootTest
@UseAdviceWith
// each IT class brings its own engines and data dir: close them with the class
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExportMachineDataRouteIT {

    static final long TIMESTAMP = 1_795_000_000_000L; // 2026-11-18T11:06:40Z
    static final String HOUR_DIR = "dt=2026-11-18/hour=11";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("twinflow.data-dir", () -> dataDir.toString());
        registry.add("twinflow.export.max-rows", () -> "4");
    }

    /** Commits made, as partition@offset, in order. */
    static final List<String> committed = Collections.synchronizedList(new ArrayList<>());

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    MachineExport export;

    MockEndpoint done;

    @BeforeEach
    void advise() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "export-machine-data", a -> {
                a.replaceFromWith("direct:machine-data");
                // what was committed when the route's last step (the commit) is about to run
                a.weaveByType(BeanDefinition.class)
                        .selectLast()
                        .before()
                        .process(e -> e.setProperty("committedBeforeLastStep", List.copyOf(committed)));
                a.weaveAddLast().to("mock:exported");
            });
            camel.start();
        }
        done = camel.getEndpoint("mock:exported", MockEndpoint.class);
        done.reset();
        committed.clear();
    }

    Exchange record(int partition, long offset, String body) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setHeader(KafkaConstants.PARTITION, partition);
        e.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        e.getMessage().setHeader(KafkaConstants.TIMESTAMP, TIMESTAMP);
        e.getMessage().setHeader(KafkaConstants.MANUAL_COMMIT, (KafkaManualCommit)
                () -> committed.add(partition + "@" + offset));
        e.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return e;
    }

    static String reading(String device, long n) {
        return "{\"device_id\":\"" + device + "\",\"data_id\":\"SEQ\",\"value\":" + n + ",\"ts\":" + n + "}";
    }

    List<Exchange> readings(int partition, long from, long to) {
        List<Exchange> batch = new ArrayList<>();
        for (long offset = from; offset <= to; offset++) {
            batch.add(record(partition, offset, "[" + reading("route-" + partition, offset) + "]"));
        }
        return batch;
    }

    /** Sends a batch through the route; the exchange as it reached the route's end. */
    Exchange send(List<Exchange> batch) throws Exception {
        done.expectedMessageCount(1);
        Exchange sent = producer.send("direct:machine-data", e -> e.getMessage().setBody(batch));
        assertThat(sent.getException()).isNull();
        done.assertIsSatisfied(10_000);
        Exchange end = done.getExchanges().get(0);
        done.reset();
        return end;
    }

    Path published(int partition, long first, long last) {
        return dataDir.resolve("hdfs/twinflow/machine_data/" + HOUR_DIR + "/"
                + String.format("machine_data+%d+%020d+%020d.parquet", partition, first, last));
    }

    static List<Long> offsetsIn(Path file) throws Exception {
        List<Long> offsets = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
                .build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                offsets.add((Long) r.get("kafka_offset"));
            }
        }
        return offsets;
    }

    @Test
    void aFileIsCommittedByTheRoutesLastStepOnceItIsPublishedAtItsOwnLastOffset() throws Exception {
        // 3 readings of 4: the file stays open, nothing is committed
        Exchange first = send(readings(0, 0, 2));
        assertThat(committed).isEmpty();
        assertThat(first.getProperty("committedBeforeLastStep", List.class)).isEmpty();
        assertThat(published(0, 0, 3)).doesNotExist();

        // the 4th reading fills the file: published, then committed at offset 3 (4 and 5 wait in the next file)
        Exchange second = send(readings(0, 3, 5));
        assertThat(published(0, 0, 3)).exists();
        assertThat(offsetsIn(published(0, 0, 3))).containsExactly(0L, 1L, 2L, 3L);
        assertThat(second.getProperty("committedBeforeLastStep", List.class))
                .as("the bean commits nothing itself")
                .isEmpty();
        assertThat(committed).containsExactly("0@3");
        assertThat(published(0, 4, 5)).doesNotExist();
    }

    @Test
    void aRecordThatIsNotReadingsIsSkippedAndCountedAndCommittedWithItsFile() throws Exception {
        long unreadableBefore = export.stats().get("unreadable_records");
        long invalidBefore = export.stats().get("invalid_readings");
        List<Exchange> batch = new ArrayList<>();
        batch.add(record(1, 0, "not json"));
        batch.add(record(1, 1, "[{\"data_id\":\"SEQ\",\"value\":1,\"ts\":1}," + reading("route-1", 1) + "]"));
        batch.addAll(readings(1, 2, 4));

        send(batch);

        assertThat(export.stats().get("unreadable_records")).isEqualTo(unreadableBefore + 1);
        assertThat(export.stats().get("invalid_readings")).isEqualTo(invalidBefore + 1);
        // 4 readings from offsets 1-4: the file covers offsets 0-4, so the unreadable record is committed too
        assertThat(offsetsIn(published(1, 0, 4))).containsExactly(1L, 2L, 3L, 4L);
        assertThat(committed).containsExactly("1@4");
    }
}
