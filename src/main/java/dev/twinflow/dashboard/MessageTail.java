package dev.twinflow.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.system.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the end of the message log through its paged reads ({@code MessageStore.read}), which is
 * all the log offers: where the end is, is found by probing pages of one record, and a log emptied
 * by {@code POST /clear_messages} (and perhaps refilled) is noticed because the record before the
 * position is no longer the one read last. Not thread-safe: one producer reads.
 */
final class MessageTail {

    /** A page of the log: up to {@code limit} records from index {@code offset}, as a JSON array. */
    @FunctionalInterface
    interface Pages {
        byte[] read(long offset, int limit);
    }

    private final Pages pages;
    private final int window;
    private long next = -1;
    private JsonNode last;

    /**
     * @param window at most this many of the newest records are returned by one {@link #poll}: the
     *     dashboard shows recent readings, it need not see every record of a fast run
     */
    MessageTail(Pages pages, int window) {
        this.pages = pages;
        this.window = window;
    }

    /** The records stored since the last call (on the first call: the newest ones), oldest first. */
    List<JsonNode> poll() {
        if (next > 0 && !recordAt(next - 1).equals(last)) {
            next = -1; // cleared since
        }
        long end = end(Math.max(next, 0));
        long from = Math.max(Math.max(next, 0), end - window);
        List<JsonNode> records = new ArrayList<>();
        if (from < end) {
            parse(pages.read(from, (int) (end - from))).forEach(records::add);
        }
        if (!records.isEmpty()) {
            last = records.get(records.size() - 1);
        }
        next = from + records.size();
        return records;
    }

    private JsonNode recordAt(long index) {
        JsonNode page = parse(pages.read(index, 1));
        return page.size() == 1 ? page.get(0) : Json.MAPPER.nullNode();
    }

    private boolean exists(long index) {
        return pages.read(index, 1).length > 2; // not "[]"
    }

    /** The index after the last record, knowing that every index below {@code from} exists. */
    private long end(long from) {
        if (!exists(from)) {
            return from;
        }
        long present = from; // exists
        long step = 1;
        long absent = from + step;
        while (exists(absent)) {
            present = absent;
            step *= 2;
            absent = from + step;
        }
        while (absent - present > 1) {
            long middle = present + (absent - present) / 2;
            if (exists(middle)) {
                present = middle;
            } else {
                absent = middle;
            }
        }
        return absent;
    }

    private static JsonNode parse(byte[] page) {
        try {
            return Json.MAPPER.readTree(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
