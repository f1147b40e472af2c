package dev.twinflow.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.AppendLog;
import dev.twinflow.system.Json;
import dev.twinflow.system.Paging;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.springframework.stereotype.Component;

/**
 * The generated data set: one append-only JSON Lines file per record type under {@code
 * <data-dir>/dataset/}. Ids are the record's position in its file, so they continue across calls
 * and restarts; generation and append for one type hold that type's lock so ids and file order agree.
 */
@Component("dataSet")
public class DataSet implements AutoCloseable {

    /** Records of one {@code POST /generate}, already durable. */
    public record Batch(String type, List<byte[]> records) {}

    private final Map<RecordType, AppendLog> logs = new EnumMap<>(RecordType.class);
    private final GenerateProperties properties;
    private final Paging paging;
    private final Clock clock;
    private final SplittableRandom seeds = new SplittableRandom();

    DataSet(TwinflowProperties twinflow, GenerateProperties properties, Paging paging, Clock clock) {
        for (RecordType type : RecordType.values()) {
            logs.put(type, new AppendLog(twinflow.dataDir().resolve("dataset").resolve(type.key() + ".jsonl"), true));
        }
        this.properties = properties;
        this.paging = paging;
        this.clock = clock;
    }

    /** Hands every stored record of one type ({@link #types()}), as its JSON line, to {@code each}. */
    public void forEach(String type, java.util.function.Consumer<byte[]> each) {
        for (RecordType t : RecordType.values()) {
            if (t.key().equals(type)) {
                logs.get(t).forEach(each);
            }
        }
    }

    /** The record types, as {@code GET /data} names them. */
    public List<String> types() {
        return java.util.Arrays.stream(RecordType.values()).map(RecordType::key).toList();
    }

    /**
     * Generates and stores the records a {@code {"type":..,"num":..}} request asks for.
     *
     * @throws ApiException 400 for a body that is not JSON, 422 for an unknown type or a bad num
     */
    public Batch generate(byte[] body) {
        ObjectNode request = Json.parseObject(body);
        RecordType type = type(request.get("type"));
        int num = num(request.get("num"));
        AppendLog log = logs.get(type);
        RecordFactory factory;
        synchronized (this) {
            factory = new RecordFactory(seeds.split(), clock.millis());
        }
        synchronized (log) {
            long firstId = log.size();
            List<byte[]> records = new ArrayList<>(num);
            for (int i = 0; i < num; i++) {
                records.add(factory.create(type, firstId + i));
            }
            Json.join(log.append(records));
            return new Batch(type.key(), records);
        }
    }

    /** The answer to {@code POST /generate}: status, type, count and the records under {@code data}. */
    public byte[] answer(Batch batch) {
        String head = "{\"status\":\"success\",\"type\":\"" + batch.type() + "\",\"count\":"
                + batch.records().size() + ",\"data\":[";
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(64 + batch.records().size() * 120);
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < batch.records().size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(batch.records().get(i));
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /**
     * {@code GET /data}: an object keyed by type, each a page of that type's records in id order.
     *
     * @param type only this type, or every type when blank
     */
    public byte[] read(String type, String offset, String limit) {
        Paging.Page page = paging.parse(offset, limit);
        List<RecordType> types = new ArrayList<>();
        if (type == null || type.isBlank()) {
            types.addAll(logs.keySet());
        } else {
            RecordType t = RecordType.parse(type);
            if (t == null) {
                throw ApiException.badRequest(
                        "invalid_type", "type must be one of " + RecordType.allowed() + ", got '" + type + "'");
            }
            types.add(t);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('{');
        for (int i = 0; i < types.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(("\"" + types.get(i).key() + "\":").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(logs.get(types.get(i)).readJsonArray(page.offset(), page.limit()));
        }
        out.write('}');
        return out.toByteArray();
    }

    /** {@code POST /clear}: removes every record of every type; ids start again at 0. */
    public byte[] clear() {
        long removed = 0;
        for (AppendLog log : logs.values()) {
            synchronized (log) {
                removed += log.size();
                Json.join(log.clear());
            }
        }
        return Json.bytes(Json.MAPPER
                .createObjectNode()
                .put("status", "success")
                .put("message", "data cleared")
                .put("removed", removed));
    }

    private static RecordType type(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiException.unprocessable("missing_type", "type is required: one of " + RecordType.allowed());
        }
        RecordType type = node.isTextual() ? RecordType.parse(node.asText()) : null;
        if (type == null) {
            throw ApiException.unprocessable(
                    "invalid_type", "type must be one of " + RecordType.allowed() + ", got " + node);
        }
        return type;
    }

    private int num(JsonNode node) {
        if (node == null || node.isNull()) {
            return properties.defaultNum();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ApiException.unprocessable("invalid_num", "num must be a whole number, got " + node);
        }
        long num = node.asLong();
        if (num <= 0 || num > properties.maxNum()) {
            throw ApiException.unprocessable(
                    "invalid_num",
                    "num must be between 1 and " + properties.maxNum() + " (twinflow.generate.max-num), got " + num);
        }
        return (int) num;
    }

    @Override
    public void close() {
        logs.values().forEach(AppendLog::close);
    }
}
