package dev.twinflow.receive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.ApiException;
import dev.twinflow.system.AppendLog;
import dev.twinflow.system.HttpReply;
import dev.twinflow.system.Json;
import dev.twinflow.system.Paging;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/**
 * The listener's message log ({@code <data-dir>/messages.jsonl}): stamps each received JSON object
 * with {@code received_at} and {@code received_by} and returns only once it is durable.
 */
@Component("messageStore")
public class MessageStore implements AutoCloseable {

    private final AppendLog log;
    private final boolean groupCommit;
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
        this.groupCommit = receive.groupCommit();
        this.log = new AppendLog(properties.dataDir().resolve("messages.jsonl"), groupCommit);
        this.nodeName = properties.nodeName();
        this.paging = paging;
        this.clock = clock;
        // counted here, not by a micrometer: step in the route: that step matched a regex per header
        // per request (a tenth of POST /receive's CPU)
        this.receivedOverHttp =
                Counter.builder("twinflow.records.received").tag("via", "http").register(meters);
    }

    /**
     * Stores messages given as raw JSON, one per request, durably (one append, so one fsync with group
     * commit).
     *
     * @return once they are durable, one answer per body in the same order: 200 with the status, the
     *     stamps and the message's index in the log; 400 for a body that is not JSON, 422 for JSON that
     *     is not an object (stored are only the others)
     */
    public CompletableFuture<List<HttpReply>> receiveAll(List<byte[]> bodies) {
        int n = bodies.size();
        HttpReply[] replies = new HttpReply[n];
        List<byte[]> lines = new ArrayList<>(n);
        int[] slots = new int[n];
        BigDecimal[] stamps = new BigDecimal[n];
        for (int i = 0; i < n; i++) {
            ObjectNode message;
            try {
                message = Json.parseObject(bodies.get(i));
            } catch (ApiException refused) {
                replies[i] = HttpReply.refused(refused);
                continue;
            }
            BigDecimal receivedAt = BigDecimal.valueOf(clock.millis(), 3);
            // the stamps always come last and always win over fields of the same name
            message.remove(List.of("received_at", "received_by"));
            message.put("received_at", receivedAt).put("received_by", nodeName);
            slots[lines.size()] = i;
            stamps[lines.size()] = receivedAt;
            lines.add(Json.bytes(message));
        }
        if (lines.isEmpty()) {
            return CompletableFuture.completedFuture(Arrays.asList(replies));
        }
        return indexes(lines).thenApply(indexes -> {
            for (int k = 0; k < lines.size(); k++) {
                replies[slots[k]] = HttpReply.ok(Json.bytes(Json.MAPPER
                        .createObjectNode()
                        .put("status", "success")
                        .put("message", "data received and saved")
                        .put("index", indexes[k])
                        .put("received_at", stamps[k])
                        .put("received_by", nodeName)));
            }
            receivedOverHttp.increment(lines.size());
            return Arrays.asList(replies);
        });
    }

    /** Appends the lines, one append (so one fsync) for all unless group commit is off. */
    private CompletableFuture<long[]> indexes(List<byte[]> lines) {
        long[] indexes = new long[lines.size()];
        if (groupCommit) {
            return log.append(lines).thenApply(first -> {
                for (int k = 0; k < indexes.length; k++) {
                    indexes[k] = first + k;
                }
                return indexes;
            });
        }
        // the baseline the benchmark compares with: every request synced on its own
        CompletableFuture<?>[] each = new CompletableFuture<?>[lines.size()];
        for (int k = 0; k < each.length; k++) {
            int slot = k;
            each[k] = log.append(List.of(lines.get(k))).thenAccept(index -> indexes[slot] = index);
        }
        return CompletableFuture.allOf(each).thenApply(done -> indexes);
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
