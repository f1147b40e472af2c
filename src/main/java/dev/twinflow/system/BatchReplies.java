package dev.twinflow.system;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/** How a batch of {@link BatchedHttpConsumer} is answered: each request on its own, or all alike. */
final class BatchReplies {

    /** A request whose body has arrived, waiting for its batch. */
    record Pending(HttpServerResponse response, Buffer body) {}

    private BatchReplies() {}

    static void answer(String path, List<Pending> batch, Object out, Throwable failure) {
        if (failure == null
                && out instanceof List<?> replies
                && replies.size() == batch.size()
                && replies.stream().allMatch(HttpReply.class::isInstance)) {
            for (int i = 0; i < batch.size(); i++) {
                write(batch.get(i), (HttpReply) replies.get(i), false);
            }
            return;
        }
        Throwable cause = failure != null
                ? failure
                : new IllegalStateException("the route answered "
                        + (out == null ? "nothing" : out.getClass().getName())
                        + " instead of one reply per request");
        HttpReply reply =
                HttpErrors.reply(cause, "batched-http" + path + ", a batch of " + batch.size() + " requests,");
        for (Pending ctx : batch) {
            write(ctx, reply, false);
        }
    }

    static void write(Pending request, HttpReply reply, boolean retry) {
        HttpServerResponse response = request.response();
        try {
            if (response.ended() || response.closed()) {
                return; // the client left
            }
            response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            if (retry) {
                response.putHeader("Retry-After", "1");
            }
            response.end(Buffer.buffer(reply.body()));
        } catch (IllegalStateException closedMeanwhile) {
            // the connection closed between the check and the write: nobody is waiting
        }
    }
}
