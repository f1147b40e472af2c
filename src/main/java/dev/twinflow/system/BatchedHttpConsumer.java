package dev.twinflow.system;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.DefaultConsumer;

/**
 * The consumer of {@link BatchedHttpComponent}: event loops queue the requests, one thread per
 * endpoint takes what has queued as a batch and starts its exchange, and whichever thread completes
 * the exchange writes every answer.
 */
final class BatchedHttpConsumer extends DefaultConsumer {

    private final VertxPlatformHttpRouter router;
    private final FrontRouter front;
    private final String path;
    private final BatchQueue<BatchReplies.Pending> batches;
    private Route route;

    BatchedHttpConsumer(
            Endpoint endpoint,
            Processor processor,
            VertxPlatformHttpRouter router,
            FrontRouter front,
            String path,
            int maxBatch,
            int batchesInFlight) {
        super(endpoint, processor);
        this.router = router;
        this.front = front;
        this.path = path;
        this.batches = new BatchQueue<>("batched-http" + path, maxBatch, batchesInFlight, this::start);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        batches.start();
        route = router.route(HttpMethod.POST, path)
                .order(FrontRouter.BATCHED_ORDER)
                .handler(router.bodyHandler())
                .handler(ctx -> enqueue(
                        new BatchReplies.Pending(ctx.response(), ctx.body().buffer())));
        if (front != null) {
            front.direct(path, this);
        }
    }

    /** A request the front hands over without its router ({@link FrontRouter#accept}). */
    void take(HttpServerRequest request) {
        request.body().onSuccess(body -> enqueue(new BatchReplies.Pending(request.response(), body)));
    }

    private void enqueue(BatchReplies.Pending request) {
        if (!batches.offer(request)) {
            BatchReplies.write(request, new HttpReply(503, HttpErrors.NOT_READY), true);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (front != null) {
            front.undirect(path, this);
        }
        if (route != null) {
            route.remove();
        }
        // what never started is told to retry
        batches.stop(ctx -> BatchReplies.write(ctx, new HttpReply(503, HttpErrors.NOT_READY), true));
        super.doStop();
    }

    private void start(List<BatchReplies.Pending> batch) {
        Exchange exchange;
        try {
            List<byte[]> bodies = new ArrayList<>(batch.size());
            for (BatchReplies.Pending request : batch) {
                bodies.add(request.body() == null ? new byte[0] : request.body().getBytes());
            }
            exchange = createExchange(false);
            exchange.getIn().setBody(bodies);
        } catch (RuntimeException e) {
            batches.finished();
            HttpReply failed =
                    HttpErrors.reply(e, "batched-http" + path + ", starting a batch of " + batch.size() + " requests,");
            batch.forEach(ctx -> BatchReplies.write(ctx, failed, false));
            return;
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            Object out = exchange.getException() == null ? exchange.getMessage().getBody() : null;
            Throwable failure = exchange.getException();
            releaseExchange(exchange, false);
            if (out instanceof CompletionStage<?> later) {
                // a route that ends on a future (an fsync under way): the answers wait for it
                later.whenComplete((value, failed) -> finish(batch, value, unwrap(failed)));
            } else {
                finish(batch, out, failure);
            }
        });
    }

    private static Throwable unwrap(Throwable failed) {
        return failed instanceof java.util.concurrent.CompletionException && failed.getCause() != null
                ? failed.getCause()
                : failed;
    }

    private void finish(List<BatchReplies.Pending> batch, Object out, Throwable failure) {
        try {
            BatchReplies.answer(path, batch, out, failure);
        } finally {
            batches.finished();
        }
    }
}
