package dev.twinflow.bench;

import dev.twinflow.embedded.KafkaEngine;
import dev.twinflow.export.MachineExport;
import dev.twinflow.export.MiniHdfs;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Rows/s into Parquet on a real HDFS (MiniDFSCluster in this JVM): twinflow's export route (Kafka
 * machine_data batches → JSON readings → per-partition Parquet files → hsync, rename, commit) against a
 * direct AvroParquetWriter loop writing the same rows, schema, compression and file size. The export
 * drains a backlog: the records are put on Kafka while its route is stopped; the latest-values route,
 * the topic's other consumer, is stopped throughout.
 *
 * <pre>bench/export/run.sh [rows=2000000] [readings-per-record=10]</pre>
 */
public final class ExportBench {

    static final int ROWS_PER_FILE = 100_000;

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int perRecord = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.printf(
                "%,d readings (%d per Kafka record), files of %,d rows, snappy, %d cores%n",
                rows, perRecord, ROWS_PER_FILE, Runtime.getRuntime().availableProcessors());
        try (MiniHdfs hdfs = new MiniHdfs()) {
            plain(hdfs, rows / 5, "warm-up");
            double plain = plain(hdfs, rows, "run");

            ConfigurableApplicationContext app = BenchApp.start(
                    "--twinflow.hdfs.uri=" + hdfs.uri(),
                    "--twinflow.export.max-rows=" + ROWS_PER_FILE,
                    "--twinflow.export.max-age=1s");
            CamelContext camel = app.getBean(CamelContext.class);
            // the export alone: the other consumer of machine_data (latest values in Redis) would share the
            // cores during the measurement
            camel.getRouteController().stopRoute("keep-latest-machine-values");
            MachineExport export = app.getBean(MachineExport.class);
            String kafka = app.getBean(KafkaEngine.class).bootstrapServers();
            twinflow(camel, export, kafka, rows / 5, perRecord, 0); // warm-up
            double twinflow = twinflow(camel, export, kafka, rows, perRecord, rows / 5);
            app.close();

            System.out.printf("direct AvroParquetWriter loop  %,12.0f rows/s%n", plain);
            System.out.printf("twinflow export route          %,12.0f rows/s%n", twinflow);
            System.out.printf("ratio twinflow / direct: %.2f%n", twinflow / plain);
        }
        System.exit(0);
    }

    static double plain(MiniHdfs hdfs, int rows, String name) throws Exception {
        long start = System.nanoTime();
        ParquetWriter<GenericRecord> writer = null;
        int file = 0;
        for (int i = 0; i < rows; i++) {
            if (i % ROWS_PER_FILE == 0) {
                if (writer != null) {
                    writer.close();
                }
                org.apache.hadoop.fs.Path path =
                        new org.apache.hadoop.fs.Path("/bench/" + name + "/file-" + file++ + ".parquet");
                writer = AvroParquetWriter.<GenericRecord>builder(
                                HadoopOutputFile.fromPath(path, hdfs.fs().getConf()))
                        .withSchema(MachineExport.READING)
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .withRowGroupSize(8L << 20)
                        .build();
            }
            GenericRecord r = new GenericData.Record(MachineExport.READING);
            r.put("device_id", "dev-" + (i / 10 % 100));
            r.put("data_id", "D" + (i % 10));
            r.put("ts", 1_795_000_000_000L + i);
            r.put("value", (i % 1000) + 0.5);
            r.put("value_text", null);
            r.put("kafka_partition", 0);
            r.put("kafka_offset", (long) i / 10);
            writer.write(r);
        }
        writer.close();
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    static double twinflow(CamelContext camel, MachineExport export, String kafka, int rows, int perRecord, long before)
            throws Exception {
        camel.getRouteController().stopRoute("export-machine-data");
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka);
        p.put("linger.ms", "10");
        p.put("batch.size", String.valueOf(256 * 1024));
        p.put("compression.type", "lz4");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < rows / perRecord; i++) {
                String device = "dev-" + (i % 100);
                StringBuilder json = new StringBuilder("[");
                for (int r = 0; r < perRecord; r++) {
                    json.append(r == 0 ? "" : ",")
                            .append("{\"device_id\":\"")
                            .append(device)
                            .append("\",\"data_id\":\"D")
                            .append(r)
                            .append("\",\"value\":")
                            .append(i % 1000)
                            .append(".5,\"ts\":")
                            .append(1_795_000_000_000L + i)
                            .append('}');
                }
                // one key, so one partition: files fill up to max-rows exactly like the direct loop's, and
                // none waits for max-age at the end
                producer.send(new ProducerRecord<>(
                        "machine_data", "bench", json.append(']').toString().getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        long start = System.nanoTime();
        camel.getRouteController().startRoute("export-machine-data");
        while (export.stats().get("rows_exported") < before + rows) {
            Thread.sleep(10);
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }
}
