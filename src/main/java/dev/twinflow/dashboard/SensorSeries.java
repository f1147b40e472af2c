package dev.twinflow.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest readings of a few sensor sources ({@code dev-0003:humidity}), for the charts. The first
 * sources to report are shown; one that has been silent for a while gives its place to a new one.
 * Not thread-safe: one producer reads.
 */
final class SensorSeries {

    static final int MAX_SOURCES = 6;
    static final int MAX_POINTS = 100;
    /** Sensor readings of other sources after which a silent source may be replaced. */
    static final long STALE_AFTER = 1000;

    /** One reading: epoch ms, its value (null for a dropout) and its anomaly label (null when normal). */
    record Point(long atMillis, Double value, String anomaly) {}

    private static final class Series {
        final String unit;
        final Deque<Point> points = new ArrayDeque<>();
        long lastRead;

        Series(String unit) {
            this.unit = unit;
        }
    }

    private final Map<String, Series> bySource = new LinkedHashMap<>();
    private long read;

    /** Takes a stored record if it is a scenario's sensor reading; anything else is ignored. */
    void add(JsonNode record) {
        JsonNode source = record.get("source");
        JsonNode timestamp = record.get("timestamp");
        if (!"sensor".equals(record.path("kind").asText())
                || source == null
                || !source.isTextual()
                || timestamp == null
                || !timestamp.isNumber()) {
            return;
        }
        read++;
        Series series = seriesOf(source.asText(), record.path("unit").asText(""));
        if (series == null) {
            return;
        }
        JsonNode value = record.get("value");
        JsonNode anomaly = record.get("anomaly");
        Point point = new Point(
                timestamp.decimalValue().movePointRight(3).longValue(),
                value != null && value.isNumber() ? value.doubleValue() : null,
                anomaly != null && anomaly.isTextual() ? anomaly.asText() : null);
        if (!series.points.isEmpty()
                && point.atMillis() < series.points.peekLast().atMillis()) {
            // earlier than what is shown: a new run replaying the same clock; start the line again
            series.points.clear();
        }
        series.points.addLast(point);
        if (series.points.size() > MAX_POINTS) {
            series.points.removeFirst();
        }
        series.lastRead = read;
    }

    private Series seriesOf(String source, String unit) {
        Series series = bySource.get(source);
        if (series != null) {
            return series;
        }
        if (bySource.size() >= MAX_SOURCES) {
            Map.Entry<String, Series> stalest = bySource.entrySet().stream()
                    .min(Comparator.comparingLong(e -> e.getValue().lastRead))
                    .orElseThrow();
            if (read - stalest.getValue().lastRead < STALE_AFTER) {
                return null;
            }
            bySource.remove(stalest.getKey());
        }
        series = new Series(unit);
        bySource.put(source, series);
        return series;
    }

    /**
     * {@code {"series":[{"source","unit","points":[[ms,value],...],"anomalies":[[ms,value,label],...]}]}}.
     * A dropout has no value: its point is null (a gap in the line), its mark sits at the last value seen.
     */
    ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("series");
        bySource.forEach((source, series) -> {
            ObjectNode s = list.addObject().put("source", source).put("unit", series.unit);
            ArrayNode points = s.putArray("points");
            ArrayNode anomalies = s.putArray("anomalies");
            Double last = null;
            for (Point p : series.points) {
                points.addArray().add(p.atMillis()).add(p.value());
                if (p.anomaly() != null && (p.value() != null || last != null)) {
                    anomalies
                            .addArray()
                            .add(p.atMillis())
                            .add(p.value() != null ? p.value() : last)
                            .add(p.anomaly());
                }
                if (p.value() != null) {
                    last = p.value();
                }
            }
        });
        return root;
    }
}
