package dev.twinflow.system;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * The consumer of {@link BatchComponent}: senders queue their exchanges, one thread takes what has
 * queued as a batch and starts its exchange, and whichever thread completes it completes the waiting
 * exchanges.
 */
final class BatchConsumer extends DefaultConsumer {

    /** An exchange waiting for its batch. */
    private record Waiting(Exchange exchange, AsyncCallback callback) {}

    private final BatchComponent component;
    private final String name;
    private final BatchQueue<Waiting> batches;

    BatchConsumer(
            Endpoint endpoint,
            Processor processor,
            BatchComponent component,
            String name,
            int maxBatch,
            int batchesInFlight) {
        super(endpoint, processor);
        this.component = component;
        this.name = name;
        this.batches = new BatchQueue<>("batch:" + name, maxBatch, batchesInFlight, this::start);
    }

    /** Queues an exchange for a batch; false when this consumer is not running. */
    boolean offer(Exchange exchange, AsyncCallback callback) {
        return batches.offer(new Waiting(exchange, callback));
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        batches.start();
        component.register(name, this);
    }

    @Override
    protected void doStop() throws Exception {
        component.unregister(name, this);
        // what never started fails (not acknowledged)
        batches.stop(w -> {
            w.exchange().setException(new IllegalStateException("batch:" + name + " stopped before its batch"));
            w.callback().done(false);
        });
        super.doStop();
    }

    private void start(List<Waiting> batch) {
        Exchange exchange;
        try {
            List<Message> messages = new ArrayList<>(batch.size());
            batch.forEach(w -> messages.add(w.exchange().getMessage()));
            exchange = createExchange(false);
            exchange.getIn().setBody(messages);
        } catch (RuntimeException e) {
            finish(batch, e);
            return;
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            Exception failure = exchange.getException();
            releaseExchange(exchange, false);
            finish(batch, failure);
        });
    }

    private void finish(List<Waiting> batch, Exception failure) {
        try {
            for (Waiting w : batch) {
                if (failure != null) {
                    w.exchange().setException(failure);
                }
                w.callback().done(false);
            }
        } finally {
            batches.finished();
        }
    }
}
