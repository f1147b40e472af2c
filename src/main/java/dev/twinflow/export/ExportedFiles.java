package dev.twinflow.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import dev.twinflow.system.Paging;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.springframework.stereotype.Component;

/**
 * {@code GET /exports}: the published files with their row counts and time ranges (the {@code ts} of
 * machine readings, the {@code received_at} of messages). Parquet answers from its footer; CSV and
 * JSON Lines files are read once. Published files never change, so summaries are cached.
 */
@Component
public class ExportedFiles {

    private record Summary(long rows, Instant from, Instant to) {}

    private final HdfsStore store;
    private final MachineExport machineExport;
    private final Paging paging;
    private final Map<String, Summary> summaries = new ConcurrentHashMap<>();

    ExportedFiles(HdfsStore store, MachineExport machineExport, Paging paging) {
        this.store = store;
        this.machineExport = machineExport;
        this.paging = paging;
    }

    public byte[] list(String under, String offset, String limit) throws IOException {
        Paging.Page page = paging.parse(offset, limit);
        List<FileStatus> files = store.files(store.root()).stream()
                .filter(f -> RowFormat.ofFileName(f.getPath().getName()) != null)
                .filter(f -> !f.getPath().toUri().getPath().contains("/_tmp/")
                        && !f.getPath().toUri().getPath().contains("/_locks/"))
                .filter(f -> under == null || store.relative(f.getPath()).startsWith(under))
                .sorted(Comparator.comparing(f -> f.getPath().toUri().getPath()))
                .toList();
        ArrayNode out = Json.MAPPER.createArrayNode();
        files.stream().skip(page.offset()).limit(page.limit()).forEach(f -> {
            Summary s = summary(f);
            ObjectNode o = out.addObject()
                    .put("path", store.relative(f.getPath()))
                    .put("format", RowFormat.ofFileName(f.getPath().getName()).extension())
                    .put("bytes", f.getLen())
                    .put("rows", s.rows())
                    .put(
                            "modified",
                            Instant.ofEpochMilli(f.getModificationTime()).toString());
            o.put("from", s.from() == null ? null : s.from().toString());
            o.put("to", s.to() == null ? null : s.to().toString());
        });
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("root", store.root().toString()).put("total", files.size());
        answer.set("files", out);
        ObjectNode stats = answer.putObject("machine_data");
        machineExport.stats().forEach(stats::put);
        return Json.bytes(answer);
    }

    private Summary summary(FileStatus f) {
        String key = f.getPath() + "@" + f.getLen() + "@" + f.getModificationTime();
        return summaries.computeIfAbsent(key, k -> {
            try {
                return RowFormat.ofFileName(f.getPath().getName()) == RowFormat.PARQUET ? parquet(f) : text(f);
            } catch (IOException e) {
                return new Summary(-1, null, null);
            }
        });
    }

    private Summary parquet(FileStatus f) throws IOException {
        // read through the store's own file system (its user, its settings): HadoopInputFile would look
        // one up in Hadoop's JVM-wide cache and leave a RawLocalFileSystem there for file://
        org.apache.parquet.io.InputFile file = new org.apache.parquet.io.InputFile() {
            @Override
            public long getLength() {
                return f.getLen();
            }

            @Override
            public org.apache.parquet.io.SeekableInputStream newStream() throws IOException {
                return org.apache.parquet.hadoop.util.HadoopStreams.wrap(
                        store.fs().open(f.getPath()));
            }
        };
        try (ParquetFileReader reader = ParquetFileReader.open(file)) {
            long rows = 0;
            Double min = null;
            Double max = null;
            boolean seconds = false;
            for (BlockMetaData block : reader.getFooter().getBlocks()) {
                rows += block.getRowCount();
                for (ColumnChunkMetaData column : block.getColumns()) {
                    String name = column.getPath().toDotString();
                    if (!name.equals("ts") && !name.equals("received_at")) {
                        continue;
                    }
                    seconds = name.equals("received_at");
                    Statistics<?> stats = column.getStatistics();
                    if (stats == null || !stats.hasNonNullValue()) {
                        continue;
                    }
                    double lo = ((Number) stats.genericGetMin()).doubleValue();
                    double hi = ((Number) stats.genericGetMax()).doubleValue();
                    min = min == null ? lo : Math.min(min, lo);
                    max = max == null ? hi : Math.max(max, hi);
                }
            }
            return new Summary(rows, instant(min, seconds), instant(max, seconds));
        }
    }

    private Summary text(FileStatus f) throws IOException {
        boolean csv = RowFormat.ofFileName(f.getPath().getName()) == RowFormat.CSV;
        long rows = 0;
        Double min = null;
        Double max = null;
        boolean seconds = false;
        int column = -1;
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(store.fs().open(f.getPath()), StandardCharsets.UTF_8))) {
            String line;
            if (csv && (line = in.readLine()) != null) {
                List<String> header = List.of(line.split(","));
                column = header.indexOf("ts");
                if (column < 0) {
                    column = header.indexOf("received_at");
                    seconds = column >= 0;
                }
            }
            while ((line = in.readLine()) != null) {
                rows++;
                Double t = null;
                if (csv && column >= 0) {
                    String[] cells = line.split(",", -1);
                    t = column < cells.length && !cells[column].isEmpty() ? parseOrNull(cells[column]) : null;
                } else if (!csv) {
                    JsonNode o = Json.MAPPER.readTree(line);
                    if (o.hasNonNull("ts")) {
                        t = o.get("ts").asDouble();
                    } else if (o.hasNonNull("received_at")) {
                        t = o.get("received_at").asDouble();
                        seconds = true;
                    }
                }
                if (t != null) {
                    min = min == null ? t : Math.min(min, t);
                    max = max == null ? t : Math.max(max, t);
                }
            }
        }
        return new Summary(rows, instant(min, seconds), instant(max, seconds));
    }

    private static Double parseOrNull(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(Double t, boolean seconds) {
        if (t == null) {
            return null;
        }
        return Instant.ofEpochMilli(Math.round(seconds ? t * 1000 : t));
    }
}
