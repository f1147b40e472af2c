package dev.twinflow.system;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The batching shared by {@code batch:} and {@code batched-http:}: items are queued by any thread; one
 * thread takes what queued while the batches before were under way (at most {@code maxBatch} items, at
 * most {@code batchesInFlight} batches unfinished) and starts each batch; whoever finishes a batch
 * calls {@link #finished()}.
 */
final class BatchQueue<T> {

    private final String name;
    private final int maxBatch;
    private final int batchesInFlight;
    private final Semaphore inFlight;
    private final Consumer<List<T>> start;
    private final BlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread batcher;

    BatchQueue(String name, int maxBatch, int batchesInFlight, Consumer<List<T>> start) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.batchesInFlight = batchesInFlight;
        this.inFlight = new Semaphore(batchesInFlight);
        this.start = start;
    }

    void start() {
        running = true;
        batcher = new Thread(this::batchLoop, name);
        batcher.setDaemon(true);
        batcher.start();
    }

    /** Queues an item; false when stopped (then the caller refuses it). */
    boolean offer(T item) {
        if (!running) {
            return false;
        }
        queue.add(item);
        // stopped meanwhile: taken back unless the stop (or a last batch) has it already
        return running || !queue.remove(item);
    }

    /** A batch started by {@code start} is done: its permit goes back. */
    void finished() {
        inFlight.release();
    }

    /**
     * Stops taking batches: the batches already started finish on their own (waited for, 30 s at most),
     * what never started goes to {@code refuse}.
     */
    void stop(Consumer<T> refuse) throws InterruptedException {
        // not interrupted: a route that runs synchronously runs on the batcher thread
        running = false;
        if (batcher != null) {
            batcher.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (inFlight.tryAcquire(batchesInFlight, 30, TimeUnit.SECONDS)) {
            inFlight.release(batchesInFlight);
        }
        for (T item; (item = queue.poll()) != null; ) {
            refuse.accept(item);
        }
    }

    private void batchLoop() {
        while (running) {
            try {
                // the permit first: an item taken from the queue never waits for one
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                T first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    inFlight.release();
                    continue;
                }
                // what queued while the batches before were under way goes along
                List<T> batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                start.accept(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
