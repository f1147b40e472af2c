package dev.twinflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

/** What the audit follows a record by: its run, source and per-source sequence number. */
public record Tracked(String run, String source, long seq) {

    /** The record's audit fields, or null when it lacks any of them (it is then not audited). */
    public static Tracked of(JsonNode record) {
        JsonNode run = record.get("run");
        JsonNode source = record.get("source");
        JsonNode seq = record.get("seq");
        if (run == null
                || !run.isTextual()
                || source == null
                || !source.isTextual()
                || seq == null
                || !seq.canConvertToLong()) {
            return null;
        }
        return new Tracked(run.asText(), source.asText(), seq.asLong());
    }
}
