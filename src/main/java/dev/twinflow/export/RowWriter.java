package dev.twinflow.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Writes rows (Avro records) to one open file in one of the {@link RowFormat}s. {@link #close()} makes
 * the file durable ({@code hsync}: on the data nodes' disks, or fsync on the local file system) before
 * it returns, so a rename after it publishes a complete, durable file.
 */
abstract class RowWriter implements AutoCloseable {

    private long rows;

    static RowWriter open(RowFormat format, FSDataOutputStream out, Schema schema, long rowGroupSize)
            throws IOException {
        return switch (format) {
            case PARQUET -> new Parquet(out, schema, rowGroupSize);
            case CSV -> new Csv(out, schema);
            case JSONL -> new JsonLines(out, schema);
        };
    }

    final void write(GenericRecord row) throws IOException {
        append(row);
        rows++;
    }

    final long rows() {
        return rows;
    }

    abstract void append(GenericRecord row) throws IOException;

    @Override
    public abstract void close() throws IOException;

    private static final class Parquet extends RowWriter {
        private final ParquetWriter<GenericRecord> writer;

        Parquet(FSDataOutputStream out, Schema schema, long rowGroupSize) throws IOException {
            writer = AvroParquetWriter.<GenericRecord>builder(new SyncedOutputFile(out))
                    .withSchema(schema)
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withRowGroupSize(rowGroupSize)
                    .build();
        }

        @Override
        void append(GenericRecord row) throws IOException {
            writer.write(row);
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }

    private abstract static class Text extends RowWriter {
        final FSDataOutputStream out;
        final BufferedWriter text;
        final Schema schema;

        Text(FSDataOutputStream out, Schema schema) {
            this.out = out;
            this.schema = schema;
            this.text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        }

        @Override
        public void close() throws IOException {
            text.flush();
            out.hsync();
            out.close();
        }
    }

    private static final class Csv extends Text {
        Csv(FSDataOutputStream out, Schema schema) throws IOException {
            super(out, schema);
            StringBuilder header = new StringBuilder();
            for (Schema.Field f : schema.getFields()) {
                header.append(header.isEmpty() ? "" : ",").append(f.name());
            }
            text.write(header.append('\n').toString());
        }

        @Override
        void append(GenericRecord row) throws IOException {
            StringBuilder line = new StringBuilder();
            for (Schema.Field f : schema.getFields()) {
                if (f.pos() > 0) {
                    line.append(',');
                }
                Object v = row.get(f.pos());
                if (v != null) {
                    line.append(csvField(v.toString()));
                }
            }
            text.write(line.append('\n').toString());
        }

        static String csvField(String s) {
            if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
                return s;
            }
            return '"' + s.replace("\"", "\"\"") + '"';
        }
    }

    private static final class JsonLines extends Text {
        JsonLines(FSDataOutputStream out, Schema schema) {
            super(out, schema);
        }

        @Override
        void append(GenericRecord row) throws IOException {
            ObjectNode o = Json.MAPPER.createObjectNode();
            for (Schema.Field f : schema.getFields()) {
                Object v = row.get(f.pos());
                if (v == null) {
                    o.putNull(f.name());
                } else if (v instanceof Double d) {
                    o.put(f.name(), d);
                } else if (v instanceof Long l) {
                    o.put(f.name(), l);
                } else if (v instanceof Integer i) {
                    o.put(f.name(), i);
                } else if (v instanceof Boolean b) {
                    o.put(f.name(), b);
                } else {
                    o.put(f.name(), v.toString());
                }
            }
            text.write(Json.MAPPER.writeValueAsString(o));
            text.write('\n');
        }
    }
}
