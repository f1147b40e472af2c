package dev.twinflow.system;

import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code batched-http:/path}: POST requests to {@code path} on the HTTP front, handed to the route as
 * batches. The exchange's body is the requests' bodies ({@code List<byte[]>}, arrival order); the
 * route answers with a {@code List<HttpReply>} of the same size and order, or a {@code
 * CompletionStage} of one (the answers then go out when it completes, e.g. after an fsync).
 *
 * <p>For an endpoint whose work is itself batched (group commit), one exchange per request would be
 * most of the cost of a request (thread hand-offs, the exchange, its header map); a batch pays it
 * once. A batch is what arrived while the previous ones were being processed, up to {@code maxBatch}
 * requests, with at most {@code batchesInFlight} batches unanswered at a time. The front's gate,
 * logins and body limit apply as to every route.
 */
public final class BatchedHttpComponent extends DefaultComponent {

    private final VertxPlatformHttpRouter router;
    private final FrontRouter front;

    /**
     * @param router where the routes go (the front's, as for platform-http)
     * @param front the front whose plain requests skip the router ({@link FrontRouter#accept}), or
     *     {@code null} for the router's way only
     */
    BatchedHttpComponent(VertxPlatformHttpRouter router, FrontRouter front) {
        this.router = router;
        this.front = front;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        int maxBatch = getAndRemoveParameter(parameters, "maxBatch", Integer.class, 1000);
        int inFlight = getAndRemoveParameter(parameters, "batchesInFlight", Integer.class, 2);
        if (maxBatch < 1 || inFlight < 1) {
            throw new IllegalArgumentException(uri + ": maxBatch and batchesInFlight must be at least 1");
        }
        String path = remaining.startsWith("/") ? remaining : "/" + remaining;
        return new BatchedEndpoint(uri, this, path, maxBatch, inFlight);
    }

    /** An endpoint: a path and its batch limits. */
    static final class BatchedEndpoint extends DefaultEndpoint {

        private final String path;
        private final int maxBatch;
        private final int inFlight;

        BatchedEndpoint(String uri, BatchedHttpComponent component, String path, int maxBatch, int inFlight) {
            super(uri, component);
            this.path = path;
            this.maxBatch = maxBatch;
            this.inFlight = inFlight;
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("batched-http only receives: use it in from:");
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            BatchedHttpComponent component = (BatchedHttpComponent) getComponent();
            BatchedHttpConsumer consumer = new BatchedHttpConsumer(
                    this, processor, component.router, component.front, path, maxBatch, inFlight);
            configureConsumer(consumer);
            return consumer;
        }
    }
}
