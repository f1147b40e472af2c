package dev.twinflow.system;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.springframework.stereotype.Component;

/**
 * {@code batch:name}: exchanges sent to it ({@code to: batch:name}) wait while the route that reads it
 * ({@code from: batch:name}) handles them as batches, and each completes when its batch has: done if
 * the batch was, failed with the batch's exception if not. The reading route's body is the waiting
 * exchanges' messages ({@code List<Message>}, arrival order).
 *
 * <p>Camel's aggregator completes an exchange as soon as it joins a batch; here it completes only once
 * its batch is through, so a consumer that acknowledges on completion (an MQTT PUBACK) still does so
 * only after the batch's work is durable, while that work, and the route around it, is paid once per
 * batch. A batch is what arrived while the previous ones were being handled, up to {@code maxBatch}
 * exchanges, with at most {@code batchesInFlight} batches under way.
 */
@Component("batch")
public final class BatchComponent extends DefaultComponent {

    private final Map<String, BatchConsumer> consumers = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        int maxBatch = getAndRemoveParameter(parameters, "maxBatch", Integer.class, 1000);
        int inFlight = getAndRemoveParameter(parameters, "batchesInFlight", Integer.class, 2);
        if (maxBatch < 1 || inFlight < 1) {
            throw new IllegalArgumentException(uri + ": maxBatch and batchesInFlight must be at least 1");
        }
        return new BatchEndpoint(uri, this, remaining, maxBatch, inFlight);
    }

    void register(String name, BatchConsumer consumer) {
        if (consumers.putIfAbsent(name, consumer) != null) {
            throw new IllegalStateException("batch:" + name + " has a consumer already");
        }
    }

    void unregister(String name, BatchConsumer consumer) {
        consumers.remove(name, consumer);
    }

    /** An endpoint: a name and, for its consumer, the batch limits. */
    static final class BatchEndpoint extends DefaultEndpoint {

        private final String name;
        private final int maxBatch;
        private final int inFlight;

        BatchEndpoint(String uri, BatchComponent component, String name, int maxBatch, int inFlight) {
            super(uri, component);
            this.name = name;
            this.maxBatch = maxBatch;
            this.inFlight = inFlight;
        }

        @Override
        public Producer createProducer() {
            BatchComponent component = (BatchComponent) getComponent();
            return new DefaultAsyncProducer(this) {
                @Override
                public boolean process(Exchange exchange, AsyncCallback callback) {
                    BatchConsumer consumer = component.consumers.get(name);
                    if (consumer == null || !consumer.offer(exchange, callback)) {
                        exchange.setException(new IllegalStateException("batch:" + name + " has no running consumer"));
                        callback.done(true);
                        return true;
                    }
                    return false;
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            BatchConsumer consumer =
                    new BatchConsumer(this, processor, (BatchComponent) getComponent(), name, maxBatch, inFlight);
            configureConsumer(consumer);
            return consumer;
        }
    }
}
