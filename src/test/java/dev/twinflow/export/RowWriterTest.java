package dev.twinflow.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.system.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three export formats, written through Hadoop's (raw) local file system and read back. */
class RowWriterTest {

    @TempDir
    Path dir;

    FileSystem fs() throws Exception {
        RawLocalFileSystem fs = new RawLocalFileSystem();
        fs.initialize(dir.toUri(), new Configuration());
        return fs;
    }

    List<GenericRecord> rows() {
        List<GenericRecord> rows = new ArrayList<>();
        rows.add(reading("press-1", "X_POS", 12.5, null, 1000L));
        rows.add(reading("press-1", "STATE", null, "RUNNING, \"fast\"", 2000L));
        return rows;
    }

    static GenericRecord reading(String device, String id, Double value, String text, long ts) {
        GenericRecord r = new GenericData.Record(ReadingRows.SCHEMA);
        r.put("device_id", device);
        r.put("data_id", id);
        r.put("ts", ts);
        r.put("value", value);
        r.put("value_text", text);
        r.put("kafka_partition", 0);
        r.put("kafka_offset", 7L);
        return r;
    }

    org.apache.hadoop.fs.Path write(RowFormat format) throws Exception {
        org.apache.hadoop.fs.Path file =
                new org.apache.hadoop.fs.Path(dir.toUri().toString(), "rows." + format.extension());
        try (FileSystem fs = fs();
                RowWriter writer = RowWriter.open(format, fs.create(file, false), ReadingRows.SCHEMA, 1 << 20)) {
            for (GenericRecord r : rows()) {
                writer.write(r);
            }
            assertThat(writer.rows()).isEqualTo(2);
        }
        return file;
    }

    @Test
    void parquetKeepsNumbersTextAndNullsInTheirColumns() throws Exception {
        org.apache.hadoop.fs.Path file = write(RowFormat.PARQUET);
        List<GenericRecord> back = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                        HadoopInputFile.fromPath(file, new Configuration()))
                .build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                back.add(r);
            }
        }
        assertThat(back).hasSize(2);
        assertThat(back.get(0).get("value")).isEqualTo(12.5);
        assertThat(back.get(0).get("value_text")).isNull();
        assertThat(back.get(1).get("value")).isNull();
        assertThat(back.get(1).get("value_text").toString()).isEqualTo("RUNNING, \"fast\"");
        assertThat(back.get(1).get("ts")).isEqualTo(2000L);
        assertThat(Schema.parse(back.get(0).getSchema().toString())
                        .getField("ts")
                        .schema()
                        .getLogicalType()
                        .getName())
                .isEqualTo("timestamp-millis");
    }

    @Test
    void csvHasAHeaderAndQuotesFieldsWithCommasOrQuotes() throws Exception {
        write(RowFormat.CSV);
        List<String> lines = Files.readAllLines(dir.resolve("rows.csv"));
        assertThat(lines)
                .containsExactly(
                        "device_id,data_id,ts,value,value_text,kafka_partition,kafka_offset",
                        "press-1,X_POS,1000,12.5,,0,7",
                        "press-1,STATE,2000,,\"RUNNING, \"\"fast\"\"\",0,7");
    }

    @Test
    void jsonLinesKeepTypesAndNulls() throws Exception {
        write(RowFormat.JSONL);
        List<String> lines = Files.readAllLines(dir.resolve("rows.jsonl"));
        assertThat(lines).hasSize(2);
        JsonNode first = Json.MAPPER.readTree(lines.get(0));
        assertThat(first.get("value").isDouble()).isTrue();
        assertThat(first.get("value_text").isNull()).isTrue();
        assertThat(first.get("ts").asLong()).isEqualTo(1000);
        assertThat(Json.MAPPER.readTree(lines.get(1)).get("value_text").asText())
                .isEqualTo("RUNNING, \"fast\"");
    }

    @Test
    void aFileNameTellsItsFormat() {
        assertThat(RowFormat.ofFileName("machine_data+0+1+2.parquet")).isEqualTo(RowFormat.PARQUET);
        assertThat(RowFormat.ofFileName("messages-010000.jsonl")).isEqualTo(RowFormat.JSONL);
        assertThat(RowFormat.ofFileName("x.parquet.crc")).isNull();
    }
}
