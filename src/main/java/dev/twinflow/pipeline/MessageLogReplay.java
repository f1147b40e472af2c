package dev.twinflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.receive.MessageStore;
import dev.twinflow.system.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit's start-up rebuild: records this node stored before it stopped but never applied to
 * Redis (a crash between storing and flushing) are read again from the message log, so nothing
 * received is lost or counted twice across a kill -9.
 */
final class MessageLogReplay {

    private static final Logger LOG = LoggerFactory.getLogger(MessageLogReplay.class);
    private static final byte[] RUN_FIELD = "\"run\":\"".getBytes(StandardCharsets.UTF_8);

    private MessageLogReplay() {}

    /**
     * Applies what lies in the log after the point {@code logId} last reached and before {@code
     * storedAtStart}, the log's size when this node started.
     */
    static void apply(AuditStore store, MessageStore messages, String logId, long storedAtStart) {
        long from = store.logNext(logId);
        if (from > storedAtStart) {
            from = 0; // the log was cleared while its id stayed (a crash in between)
        }
        AuditDeltas replay = new AuditDeltas();
        long[] n = {0};
        messages.forEach(from, storedAtStart, line -> {
            // most stored messages are plain POST /receive bodies: skip them without parsing
            if (indexOf(line, RUN_FIELD) >= 0) {
                JsonNode record = parse(line);
                Tracked t = record == null ? null : Tracked.of(record);
                if (t != null) {
                    JsonNode at = record.get("received_at");
                    replay.received(
                            t,
                            -1,
                            at == null ? 0 : at.decimalValue().movePointRight(3).longValue());
                    n[0]++;
                }
            }
        });
        replay.reaches(storedAtStart);
        store.apply(store.prepare(replay), logId);
        if (n[0] > 0) {
            LOG.info("delivery audit: {} stored records from before this start applied", n[0]);
        }
    }

    private static JsonNode parse(byte[] line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            LOG.warn("unreadable stored message skipped by the audit: {}", e.getMessage());
            return null;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
