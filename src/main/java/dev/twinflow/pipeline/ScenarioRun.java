package dev.twinflow.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running scenario: a thread that paces the {@link ScenarioStream} to the scenario's rate and
 * hands chunks of records to {@code direct:publish-generated-records}. At most {@code maxInFlight}
 * chunks wait for Kafka's acknowledgement at once, so when Kafka is slow or gone the generator
 * blocks instead of piling records up in memory; failed chunks are retried with back-off, so it goes
 * on where it was when Kafka is back.
 */
final class ScenarioRun implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioRun.class);
    static final String ENDPOINT = "direct:publish-generated-records";

    private final Scenario scenario;
    private final String run;
    private final ScenarioStream stream;
    private final AsyncProducer publisher;
    private final CamelContext camel;
    private final DeliveryAudit audit;
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

    ScenarioRun(Scenario scenario, String run, ProducerTemplate producer, DeliveryAudit audit, int maxInFlight) {
        this.scenario = scenario;
        this.run = run;
        this.stream = new ScenarioStream(scenario, run, System::currentTimeMillis);
        this.camel = producer.getCamelContext();
        try {
            // called on the run's own thread, in order: the Kafka sends of chunk N all happen before
            // those of chunk N+1, so a source's records reach its partition in seq order (a pooled
            // ProducerTemplate.asyncSend would let two chunks interleave)
            this.publisher = camel.getEndpoint(ENDPOINT).createAsyncProducer();
            ServiceHelper.startService(publisher);
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach " + ENDPOINT, e);
        }
        this.audit = audit;
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
        } finally {
            ServiceHelper.stopService(publisher);
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
        List<ScenarioStream.Generated> records = new ArrayList<>(chunk);
        // the user record a transaction or event brings along may make a chunk one longer
        while (records.size() < chunk) {
            ScenarioStream.Generated g = stream.next();
            records.add(g);
            Message m = new DefaultMessage(camel);
            m.setHeader(KafkaConstants.KEY, g.source());
            m.setBody(g.json());
            messages.add(m);
        }
        while (!inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
            if (stopping) {
                // Kafka is gone and the user wants out: the chunk never left, nothing to account
                return;
            }
        }
        send(messages, records, 0);
    }

    // A failed chunk is sent again after a back-off, holding its permit: while Kafka is away the
    // run stays paused behind its in-flight limit and loses nothing; when Kafka returns it goes on.
    // A retry may repeat records that did reach Kafka: the audit counts them as duplicates.
    private void send(List<Message> messages, List<ScenarioStream.Generated> records, int attempt) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(messages);
        publisher.process(exchange, doneSync -> {
            Exception failure = exchange.getException();
            if (failure == null) {
                // one audit update per source and chunk, not per record
                Map<String, long[]> perSource = new HashMap<>();
                for (ScenarioStream.Generated g : records) {
                    long[] countAndMax = perSource.computeIfAbsent(g.source(), k -> new long[2]);
                    countAndMax[0]++;
                    countAndMax[1] = Math.max(countAndMax[1], g.seq());
                }
                perSource.forEach((source, cm) -> audit.sent(run, source, cm[0], cm[1]));
                acknowledged.addAndGet(records.size());
                inFlight.release();
                return;
            }
            // the seed's delivery_report: every failure is counted and logged, never silent
            failed.addAndGet(records.size());
            lastError = failure.toString();
            long now = System.currentTimeMillis();
            if (now - lastFailureLog > 5_000) {
                lastFailureLog = now;
                LOG.warn(
                        "scenario run {}: delivery of {} records failed, retrying: {}", run, records.size(), lastError);
            }
            if (stopping) {
                inFlight.release();
                return;
            }
            long backoff = Math.min(30_000, 500L << Math.min(attempt, 6));
            CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS)
                    .execute(() -> send(messages, records, attempt + 1));
        });
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
