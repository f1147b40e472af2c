package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/** Commands sent to terminals and not answered yet, by command id. */
@Component
final class PendingCommands {

    /** A command on its way: who it went to, what it was, and its answer to come. */
    record Pending(String terminalId, String command, CompletableFuture<ObjectNode> answer) {}

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final String prefix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36) + "-";
    private final AtomicLong sequence = new AtomicLong();
    private final LongAdder unknownResponses = new LongAdder();

    /** Sends {@code {"type":"command","id","command","params"}} and returns the future answer. */
    Pending send(Session session, String command, ObjectNode params, Duration timeout) {
        String id = prefix + sequence.incrementAndGet();
        Pending p = new Pending(session.terminalId(), command, new CompletableFuture<>());
        pending.put(id, p);
        p.answer().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> pending.remove(id));
        ObjectNode message =
                Json.MAPPER.createObjectNode().put("type", "command").put("id", id);
        message.put("command", command).set("params", params == null ? Json.MAPPER.createObjectNode() : params);
        session.send(message);
        return p;
    }

    /**
     * Hands a {@code command_response} to whoever waits for it; returns the command it answers, or
     * null (and counts it) when no command with that id is waiting for this terminal.
     */
    Pending answer(String terminalId, String id, ObjectNode response) {
        Pending p = id == null ? null : pending.get(id);
        if (p == null || !p.terminalId().equals(terminalId)) {
            unknownResponses.increment();
            return null;
        }
        pending.remove(id);
        p.answer().complete(response);
        return p;
    }

    /** Fails the commands of a terminal that went away, so nobody waits for the timeout. */
    void disconnected(String terminalId) {
        pending.values().stream().filter(p -> p.terminalId().equals(terminalId)).forEach(p -> p.answer()
                .completeExceptionally(new TerminalGone(terminalId)));
    }

    long unknownResponses() {
        return unknownResponses.sum();
    }

    int size() {
        return pending.size();
    }

    /** The terminal disconnected before answering. */
    static final class TerminalGone extends RuntimeException {
        TerminalGone(String id) {
            super("terminal '" + id + "' disconnected before answering", null, false, false);
        }
    }
}
