package dev.twinflow.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.generate.DataSet;
import dev.twinflow.receive.MessageStore;
import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.hadoop.fs.Path;
import org.springframework.stereotype.Component;

/**
 * The scheduled export: a snapshot of the message log and of each data set type, as dated files
 * ({@code exports/messages/dt=YYYY-MM-DD/messages-HHmmss-<node>.parquet}, {@code
 * exports/dataset/dt=.../user-HHmmss-<node>.parquet}), each written under a temporary name and
 * published when complete, never over an existing file. Each replica exports its own message log and
 * data set, so the node is in the name. Empty sources write no file.
 */
@Component
public class ScheduledExport {

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);

    private final HdfsStore store;
    private final ExportProperties properties;
    private final MessageStore messages;
    private final DataSet dataSet;
    private final Clock clock;
    private final Path tmpDir;
    private final String node;

    ScheduledExport(
            HdfsStore store,
            ExportProperties properties,
            MessageStore messages,
            DataSet dataSet,
            Clock clock,
            TwinflowProperties twinflow) {
        this.store = store;
        this.properties = properties;
        this.messages = messages;
        this.dataSet = dataSet;
        this.clock = clock;
        this.tmpDir = new Path(new Path(new Path(store.root(), "exports"), "_tmp"), twinflow.nodeName());
        this.node = twinflow.nodeName().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Runs the export now; answers the files written and their row counts. */
    public synchronized byte[] run() throws IOException {
        Instant now = clock.instant();
        Path exports = new Path(store.root(), "exports");
        ArrayNode files = Json.MAPPER.createArrayNode();
        // every replica runs the cron in the same second: the node in the name keeps each one's snapshot
        String suffix = "-" + STAMP.format(now) + "-" + node;
        export(
                "messages",
                messages::forEach,
                new Path(new Path(exports, "messages"), DAY.format(now)),
                "messages" + suffix,
                files);
        for (String type : dataSet.types()) {
            export(
                    type,
                    each -> dataSet.forEach(type, each),
                    new Path(new Path(exports, "dataset"), DAY.format(now)),
                    type + suffix,
                    files);
        }
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("status", "ok").put("at", now.toString()).set("files", files);
        return Json.bytes(answer);
    }

    private void export(String source, Consumer<Consumer<byte[]>> lines, Path folder, String name, ArrayNode files)
            throws IOException {
        JsonRows rows = new JsonRows();
        long[] count = {0};
        lines.accept(line -> {
            rows.learn(parse(line));
            count[0]++;
        });
        if (count[0] == 0) {
            return;
        }
        Schema schema = rows.schema(source.replaceAll("[^A-Za-z0-9_]", "_"));
        Path tmp = new Path(tmpDir, name + "." + UUID.randomUUID());
        long[] written = {0};
        try (RowWriter writer = RowWriter.open(
                properties.format(),
                store.create(tmp),
                schema,
                properties.rowGroupSize().toBytes())) {
            // what arrived after the first pass waits for the next export: its fields are not in the schema
            lines.accept(line -> {
                if (written[0] < count[0]) {
                    try {
                        writer.write(rows.row(parse(line)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    written[0]++;
                }
            });
        } catch (IOException | RuntimeException e) {
            store.deleteQuietly(tmp);
            throw e;
        }
        String extension = "." + properties.format().extension();
        Path target = new Path(folder, name + extension);
        // a name already taken (a second run in the same second) is never replaced: the next free one
        for (int n = 2; !store.publish(tmp, target); n++) {
            target = new Path(folder, name + "-" + n + extension);
        }
        files.addObject()
                .put("source", source)
                .put("path", store.relative(target))
                .put("rows", written[0]);
    }

    private static JsonNode parse(byte[] line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
