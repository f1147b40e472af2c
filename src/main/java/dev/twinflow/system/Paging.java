package dev.twinflow.system;

import dev.twinflow.settings.TwinflowProperties;
import org.springframework.stereotype.Component;

/** Parses and checks the {@code offset} and {@code limit} query parameters of list endpoints. */
@Component
public class Paging {

    /** A checked page request. */
    public record Page(long offset, int limit) {}

    private final TwinflowProperties.Http http;

    public Paging(TwinflowProperties properties) {
        this.http = properties.http();
    }

    /**
     * @param offset records to skip, default 0
     * @param limit records to return, default {@code twinflow.http.default-limit}, at most {@code
     *     twinflow.http.max-limit}
     * @throws ApiException 400 naming the parameter that is not a number in range
     */
    public Page parse(String offset, String limit) {
        long o = number("offset", offset, 0, 0, Long.MAX_VALUE);
        long l = number("limit", limit, http.defaultLimit(), 0, http.maxLimit());
        return new Page(o, (int) l);
    }

    private static long number(String name, String value, long fallback, long min, long max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_" + name, name + " must be a whole number, got '" + value + "'");
        }
        if (n < min || n > max) {
            throw ApiException.badRequest(
                    "invalid_" + name, name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }
}
