package dev.twinflow.system;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
    private final int maxBatch;
    private final int batchesInFlight;
    private final Semaphore inFlight;
    private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread batcher;

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
        this.maxBatch = maxBatch;
        this.batchesInFlight = batchesInFlight;
        this.inFlight = new Semaphore(batchesInFlight);
    }

    /** Queues an exchange for a batch; false when this consumer is not running. */
    boolean offer(Exchange exchange, AsyncCallback callback) {
        if (!running) {
            return false;
        }
        Waiting waiting = new Waiting(exchange, callback);
        queue.add(waiting);
        // stopped meanwhile: taken back unless the stop (or a last batch) has it already
        return running || !queue.remove(waiting);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        batcher = new Thread(this::batchLoop, "batch:" + name);
        batcher.setDaemon(true);
        batcher.start();
        component.register(name, this);
    }

    @Override
    protected void doStop() throws Exception {
        component.unregister(name, this);
        // not interrupted: a route that runs synchronously runs on the batcher thread
        running = false;
        if (batcher != null) {
            batcher.join(TimeUnit.SECONDS.toMillis(30));
        }
        // the batches already started finish on their own; what never started fails (not acknowledged)
        if (inFlight.tryAcquire(batchesInFlight, 30, TimeUnit.SECONDS)) {
            inFlight.release(batchesInFlight);
        }
        for (Waiting w; (w = queue.poll()) != null; ) {
            w.exchange().setException(new IllegalStateException("batch:" + name + " stopped before its batch"));
            w.callback().done(false);
        }
        super.doStop();
    }

    private void batchLoop() {
        while (running) {
            try {
                // the permit first: an exchange taken from the queue never waits for one
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                Waiting first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    inFlight.release();
                    continue;
                }
                // what queued while the batches before were being handled goes along
                List<Waiting> batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                start(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
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
            inFlight.release();
        }
    }
}
