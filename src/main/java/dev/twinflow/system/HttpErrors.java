package dev.twinflow.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Turns a failed exchange into a JSON error answer; called by the {@code http-errors} route
 * configuration. A refused request ({@link ApiException}) answers its 4xx, Redis being unreachable
 * 503 {@code redis_unavailable}, anything else 500.
 */
@Component("httpErrors")
public class HttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);
    private static final ObjectMapper JSON = Json.MAPPER;

    /** The answer (and its 503 while starting or stopping) of a request twinflow cannot take yet. */
    static final byte[] NOT_READY = body("not_ready", "twinflow is starting or stopping; retry shortly");

    /** Sets status, content type and {@code {"error","detail"}} body for the caught exception. */
    public void render(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        HttpReply reply = reply(caught, "route " + exchange.getFromRouteId());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        // a ByteBuffer is written with its length at once (see http-answers.camel.yaml)
        exchange.getMessage().setBody(java.nio.ByteBuffer.wrap(reply.body()));
    }

    /**
     * The answer to a request that failed with {@code caught} in {@code where} (logged unless it is a
     * refusal): a refusal's 4xx, 503 for Redis or MySQL away, else 500.
     */
    static HttpReply reply(Throwable caught, String where) {
        int status = 500;
        String error = "internal_error";
        String detail = caught == null ? "unknown failure" : caught.getMessage();
        if (caught instanceof ApiException api) {
            status = api.status();
            error = api.error();
        } else if (caught instanceof DataAccessException store
                && (store.getClass().getName().contains(".redis.")
                        || store instanceof org.springframework.dao.DataAccessResourceFailureException
                        || store instanceof org.springframework.dao.TransientDataAccessException)) {
            // Redis (Spring Data) or MySQL (camel-sql's JdbcTemplate) away: a 503, not stale data; any
            // other database error (bad SQL, say) is a 500 below
            boolean redis = store.getClass().getName().contains(".redis.")
                    || store.getMostSpecificCause().getClass().getName().contains("lettuce");
            status = 503;
            error = redis ? "redis_unavailable" : "mysql_unavailable";
            detail = "cannot read from " + (redis ? "Redis: " : "MySQL: ")
                    + store.getMostSpecificCause().getMessage();
            LOG.warn("{}: {}", where, detail);
        } else {
            LOG.error("{} failed", where, caught);
        }
        return new HttpReply(status, body(error, detail));
    }

    /** The error body every 4xx/5xx of the API carries. */
    public static byte[] body(String error, String detail) {
        ObjectNode node = JSON.createObjectNode().put("error", error).put("detail", detail);
        try {
            return JSON.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
