package dev.twinflow.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running scenario: a thread that paces the {@link ScenarioStream} to the scenario's rate and
 * hands chunks of records to the queue of {@code publish-generated-records}, which sends them to
 * Kafka and reports back through {@link ScenarioDelivery}. At most {@code maxInFlight} chunks wait
 * for Kafka's acknowledgement at once, so when Kafka is slow or gone the generator blocks instead of
 * piling records up in memory; the route retries failed chunks, so it goes on where it was when
 * Kafka is back.
 */
final class ScenarioRun implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioRun.class);

    private final Scenario scenario;
    private final String run;
    private final ScenarioStream stream;
    private final CamelContext camel;
    private final Consumer<Chunk> queue;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final long startedAt = System.currentTimeMillis();
    private volatile long endedAt;
    private volatile boolean stopping;
    private volatile String state = "running";
    private volatile String lastError;
    private volatile long lastFailureLog;

    /**
     * @param queue takes a chunk in order, from this run's thread (the route keeps that order: the
     *     records of chunk N go to Kafka before those of chunk N+1)
     */
    ScenarioRun(Scenario scenario, String run, CamelContext camel, Consumer<Chunk> queue, int maxInFlight) {
        this.scenario = scenario;
        this.run = run;
        this.stream = new ScenarioStream(scenario, run, System::currentTimeMillis);
        this.camel = camel;
        this.queue = queue;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    String runId() {
        return run;
    }

    @Override
    public void run() {
        try {
            long t0 = System.nanoTime();
            double credit = 0;
            long last = t0;
            while (!stopping && (scenario.limit() == 0 || stream.produced() < scenario.limit())) {
                int chunk;
                if (scenario.rate() == 0) {
                    chunk = 1000;
                } else {
                    long now = System.nanoTime();
                    credit = Math.min(
                            credit + (now - last) / 1e9 * currentRate(now - t0),
                            Math.max(1, currentRate(now - t0) / 10));
                    last = now;
                    if (credit < 1) {
                        LockSupport.parkNanos(Math.max(100_000, (long) ((1 - credit) / currentRate(now - t0) * 1e9)));
                        continue;
                    }
                    chunk = (int) Math.min(credit, 1000);
                    credit -= chunk;
                }
                if (scenario.limit() > 0) {
                    chunk = (int) Math.min(chunk, scenario.limit() - stream.produced());
                }
                publish(chunk);
            }
            inFlight.acquire(maxInFlight); // every chunk answered
            inFlight.release(maxInFlight);
            endedAt = System.currentTimeMillis();
            state = stopping ? "stopped" : "finished";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            endedAt = System.currentTimeMillis();
            state = "stopped";
        } catch (RuntimeException e) {
            LOG.error("scenario run {} failed", run, e);
            lastError = e.toString();
            endedAt = System.currentTimeMillis();
            state = "failed";
        }
    }

    private double currentRate(long elapsedNanos) {
        Scenario.Burst burst = scenario.burst();
        if (burst != null
                && elapsedNanos % burst.every().toNanos() < burst.length().toNanos()) {
            return scenario.rate() * burst.factor();
        }
        return scenario.rate();
    }

    private void publish(int chunk) throws InterruptedException {
        List<Message> messages = new ArrayList<>(chunk);
        Map<String, long[]> perSource = new HashMap<>();
        // the user record a transaction or event brings along may make a chunk one longer
        while (messages.size() < chunk) {
            ScenarioStream.Generated g = stream.next();
            Message m = new DefaultMessage(camel);
            m.setHeader(KafkaConstants.KEY, g.source());
            m.setBody(g.json());
            messages.add(m);
            long[] countAndMax = perSource.computeIfAbsent(g.source(), k -> new long[2]);
            countAndMax[0]++;
            countAndMax[1] = Math.max(countAndMax[1], g.seq());
        }
        List<Chunk.SourceCount> sources = new ArrayList<>(perSource.size());
        perSource.forEach((source, cm) -> sources.add(new Chunk.SourceCount(source, cm[0], cm[1])));
        while (!inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
            if (stopping) {
                // Kafka is gone and the user wants out: the chunk never left, nothing to account
                return;
            }
        }
        try {
            queue.accept(new Chunk(this, messages, sources));
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
    }

    /** Kafka acknowledged the chunk (the audit has been told). */
    void acknowledged(Chunk chunk) {
        acknowledged.addAndGet(chunk.size());
        inFlight.release();
    }

    /**
     * A failed attempt at the chunk; while the run goes on it keeps its permit and is sent again, so
     * the run stays paused behind its in-flight limit and loses nothing.
     *
     * @return whether to send it again
     */
    boolean failed(Chunk chunk, Exception failure) {
        // the seed's delivery_report: every failure is counted and logged, never silent
        failed.addAndGet(chunk.size());
        lastError = String.valueOf(failure);
        long now = System.currentTimeMillis();
        if (now - lastFailureLog > 5_000) {
            lastFailureLog = now;
            LOG.warn("scenario run {}: delivery of {} records failed, retrying: {}", run, chunk.size(), lastError);
        }
        return !stopping;
    }

    /** The chunk was given up after a failure, its run being stopped. */
    void abandoned(Chunk chunk) {
        inFlight.release();
    }

    void stop() {
        stopping = true;
    }

    String state() {
        return state;
    }

    ObjectNode status() {
        long until = endedAt > 0 ? endedAt : System.currentTimeMillis();
        double seconds = Math.max(0.001, (until - startedAt) / 1000.0);
        ObjectNode node = Json.MAPPER
                .createObjectNode()
                .put("run", run)
                .put("state", state)
                .put("generated", stream.produced())
                .put("acknowledged", acknowledged.get())
                .put("delivery_failures", failed.get())
                .put("in_flight_chunks", maxInFlight - inFlight.availablePermits())
                .put("records_per_second", Math.round(acknowledged.get() / seconds));
        node.put("last_error", lastError);
        return node;
    }
}
