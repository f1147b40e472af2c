package dev.twinflow.system;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** JSON helpers shared by the HTTP-facing beans: strict parsing with API errors, compact bytes. */
public final class Json {

    /** Strict: trailing tokens after the first value are an error, not silently ignored. */
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    /**
     * Parses a request body that must be one JSON object.
     *
     * @throws ApiException 400 {@code invalid_json} for an empty or malformed body, 422 {@code
     *     not_an_object} for JSON that is an array, string, number, boolean or null
     */
    public static ObjectNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("invalid_json", "the request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonParseException e) {
            throw ApiException.badRequest("invalid_json", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json", "the body is not valid JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.badRequest("invalid_json", "the request body is empty; send a JSON object");
        }
        if (!node.isObject()) {
            throw ApiException.unprocessable(
                    "not_an_object",
                    "the body must be a JSON object, got "
                            + node.getNodeType().toString().toLowerCase());
        }
        return (ObjectNode) node;
    }

    /** {@link #parseObject(byte[])} of a body Camel handed over as text. */
    public static ObjectNode parseObject(String body) {
        return parseObject(body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Compact UTF-8 JSON without a trailing newline. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Waits for a durability future, rethrowing its failure unwrapped. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the disk", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException("write failed: " + e.getCause(), e.getCause());
        }
    }
}
