package dev.twinflow.terminals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.system.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON the terminal handler wrote to Redis, read back: it is ours, so a parse failure is a bug, not a 400. */
final class CachedJson {

    private CachedJson() {}

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
