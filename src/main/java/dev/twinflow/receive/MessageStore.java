package dev.twinflow.receive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.AppendLog;
import dev.twinflow.system.Json;
import dev.twinflow.system.Paging;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The listener's message log ({@code <data-dir>/messages.jsonl}): stamps each received JSON object
 * with {@code received_at} and {@code received_by} and returns only once it is durable.
 */
@Component("messageStore")
public class MessageStore implements AutoCloseable {

    private final AppendLog log;
    private final String nodeName;
    private final Paging paging;
    private final Clock clock;
    private final List<Runnable> beforeClear = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Counter receivedOverHttp;

    MessageStore(
            TwinflowProperties properties,
            ReceiveProperties receive,
            Paging paging,
            Clock clock,
            MeterRegistry meters) {
        this.log = new AppendLog(properties.dataDir().resolve("messages.jsonl"), receive.groupCommit());
        this.nodeName = properties.nodeName();
        this.paging = paging;
        this.clock = clock;
        // counted here, not by a micrometer: step in the route: that step matched a regex per header
        // per request (a tenth of POST /receive's CPU)
        this.receivedOverHttp =
                Counter.builder("twinflow.records.received").tag("via", "http").register(meters);
    }

    /**
     * Stores one message given as raw JSON.
     *
     * @return the answer to the sender: status, the stamps and the message's index in the log
     * @throws ApiException 400 for a body that is not JSON, 422 for JSON that is not an object
     */
    public byte[] receive(byte[] body) {
        ObjectNode message = Json.parseObject(body);
        BigDecimal receivedAt = BigDecimal.valueOf(clock.millis(), 3);
        // the stamps always come last and always win over fields of the same name
        message.remove(List.of("received_at", "received_by"));
        message.put("received_at", receivedAt).put("received_by", nodeName);
        long index = Json.join(log.append(List.of(Json.bytes(message))));
        receivedOverHttp.increment();
        ObjectNode answer = Json.MAPPER
                .createObjectNode()
                .put("status", "success")
                .put("message", "data received and saved")
                .put("index", index)
                .put("received_at", receivedAt)
                .put("received_by", nodeName);
        return Json.bytes(answer);
    }

    /** Messages in the log. */
    public long size() {
        return log.size();
    }

    /**
     * Stores records that are already stamped JSON objects, durably; used by other flows.
     *
     * @return the log index of the first of them
     */
    public long appendAll(List<byte[]> records) {
        return Json.join(log.append(records));
    }

    /** {@code GET /messages}: a page of messages in arrival order, as a JSON array. */
    public byte[] read(String offset, String limit) {
        Paging.Page page = paging.parse(offset, limit);
        return log.readJsonArray(page.offset(), page.limit());
    }

    /**
     * Hands every stored message, as its raw JSON line, to {@code consumer}, oldest first.
     *
     * @return how many messages there were
     */
    public long forEach(java.util.function.Consumer<byte[]> consumer) {
        long total = log.size();
        log.forEach(consumer);
        return total;
    }

    /** The messages of index {@code first} (inclusive) to {@code end} (exclusive), as raw JSON lines. */
    public void forEach(long first, long end, java.util.function.Consumer<byte[]> consumer) {
        log.forEach(first, end, consumer);
    }

    /** {@code action} runs before the log is emptied (its indexes start again at 0). */
    public void beforeClear(Runnable action) {
        beforeClear.add(action);
    }

    /** {@code POST /clear_messages}: empties the log. */
    public byte[] clear() {
        beforeClear.forEach(Runnable::run);
        long removed = log.size();
        Json.join(log.clear());
        return Json.bytes(Json.MAPPER
                .createObjectNode()
                .put("status", "success")
                .put("message", "messages cleared")
                .put("removed", removed));
    }

    @Override
    public void close() {
        log.close();
    }
}
