package dev.twinflow.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The machine-data rows on the shared file system, from the published JSON Lines files ({@code
 * machine_data/dt=*}/{@code hour=*}/{@code machine_data+<partition>+<first>+<last>.jsonl}). A
 * published file never changes, so each is read once.
 */
final class ExportedReadings {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("machine_data\\+(\\d+)\\+(\\d+)\\+(\\d+)\\.jsonl");

    record Row(String device, String dataId, long ts, double value, int partition, long offset) {}

    private final Path machineData;
    private final Map<Path, List<Row>> files = new HashMap<>();

    ExportedReadings(Path exportRoot) {
        this.machineData = exportRoot.resolve("machine_data");
    }

    /** Every row of every published file. */
    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        published().forEach(file -> rows.addAll(files.computeIfAbsent(file, ExportedReadings::read)));
        return rows;
    }

    /** Per partition, the highest offset in a published file name. */
    Map<Integer, Long> exportedUpTo() {
        Map<Integer, Long> upTo = new HashMap<>();
        for (Path file : published()) {
            Matcher m = NAME.matcher(file.getFileName().toString());
            if (m.matches()) {
                upTo.merge(Integer.parseInt(m.group(1)), Long.parseLong(m.group(3)), Math::max);
            }
        }
        return upTo;
    }

    /** Pairs of published files of one partition whose offset ranges overlap. */
    List<String> overlaps() {
        Map<Integer, List<long[]>> ranges = new HashMap<>();
        Map<long[], String> names = new HashMap<>();
        for (Path file : published()) {
            Matcher m = NAME.matcher(file.getFileName().toString());
            if (m.matches()) {
                long[] range = {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
                ranges.computeIfAbsent(Integer.parseInt(m.group(1)), p -> new ArrayList<>())
                        .add(range);
                names.put(range, file.getFileName().toString());
            }
        }
        List<String> overlaps = new ArrayList<>();
        for (List<long[]> partition : ranges.values()) {
            partition.sort((x, y) -> Long.compare(x[0], y[0]));
            for (int i = 1; i < partition.size(); i++) {
                if (partition.get(i)[0] <= partition.get(i - 1)[1]) {
                    overlaps.add(names.get(partition.get(i - 1)) + " and " + names.get(partition.get(i)));
                }
            }
        }
        return overlaps;
    }

    int files() {
        return published().size();
    }

    private List<Path> published() {
        if (!Files.isDirectory(machineData)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(machineData)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .filter(p ->
                            p.getParent().getParent().getFileName().toString().startsWith("dt="))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Row> read(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(line -> {
                        try {
                            JsonNode r = JSON.readTree(line);
                            return new Row(
                                    r.get("device_id").asText(),
                                    r.get("data_id").asText(),
                                    r.get("ts").asLong(),
                                    r.get("value").asDouble(),
                                    r.get("kafka_partition").asInt(),
                                    r.get("kafka_offset").asLong());
                        } catch (IOException e) {
                            throw new UncheckedIOException("unreadable row in " + file + ": " + line, e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
