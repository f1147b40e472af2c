package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.DefaultProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** batch: on a real Camel context: exchanges wait for their batch, batches are bounded, failures reach every waiter. */
class BatchComponentTest {

    CamelContext camel;
    ProducerTemplate producer;
    /** Bodies of each batch, in the order the batches ran. */
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    /** Bodies handled, each added when its batch ends. */
    final List<String> handled = new CopyOnWriteArrayList<>();

    final ExecutorService senders = Executors.newFixedThreadPool(32);
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile String failOn;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addComponent("batch", new BatchComponent());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routeId("in").to("batch:work");
                from("batch:work?maxBatch=10&batchesInFlight=1").routeId("work").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<Message> messages = e.getMessage().getBody(List.class);
                    List<String> bodies =
                            messages.stream().map(m -> m.getBody(String.class)).toList();
                    batches.add(bodies);
                    gate.await(10, TimeUnit.SECONDS);
                    if (failOn != null && bodies.contains(failOn)) {
                        throw new IllegalStateException("refused on purpose");
                    }
                    handled.addAll(bodies);
                });
            }
        });
        camel.start();
        DefaultProducerTemplate template = new DefaultProducerTemplate(camel);
        // every send waits on its own thread: all of them reach the batch queue at once
        template.setExecutorService(senders);
        template.start();
        producer = template;
    }

    @AfterEach
    void stop() {
        camel.stop();
        senders.shutdownNow();
    }

    List<CompletableFuture<Exchange>> send(int from, int to) {
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String body = "m" + i;
            sent.add(producer.asyncSend("direct:in", e -> e.getMessage().setBody(body)));
        }
        return sent;
    }

    @Test
    void whatQueuesWhileABatchRunsGoesAsTheNextBatchsAndEachExchangeEndsAfterItsBatch() throws Exception {
        gate = new CountDownLatch(1);
        List<CompletableFuture<Exchange>> first = send(0, 1);
        waitFor(() -> batches.size() == 1);
        List<CompletableFuture<Exchange>> queued = send(1, 16);
        Thread.sleep(300);
        assertThat(first.get(0)).as("its batch has not ended").isNotDone();
        assertThat(queued).noneMatch(CompletableFuture::isDone);
        assertThat(batches).as("one batch at a time").hasSize(1);

        gate.countDown();
        for (CompletableFuture<Exchange> f : concat(first, queued)) {
            Exchange done = f.get(10, TimeUnit.SECONDS);
            assertThat(done.getException()).isNull();
            assertThat(handled)
                    .as("ended after its batch")
                    .contains(done.getMessage().getBody(String.class));
        }
        assertThat(batches.get(0)).containsExactly("m0");
        assertThat(batches.subList(1, batches.size()))
                .as("15 queued meanwhile: batches of at most 10")
                .allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(10))
                .hasSizeBetween(2, 3);
        assertThat(handled).hasSize(16).doesNotHaveDuplicates();
    }

    @Test
    void aFailedBatchFailsEachOfItsExchangesAndTheNextBatchStillRuns() throws Exception {
        gate = new CountDownLatch(1);
        List<CompletableFuture<Exchange>> blocker = send(0, 1);
        waitFor(() -> batches.size() == 1);
        failOn = "m3";
        List<CompletableFuture<Exchange>> failing = send(1, 5);
        Thread.sleep(300);
        gate.countDown();
        assertThat(blocker.get(0).get(10, TimeUnit.SECONDS).getException()).isNull();
        for (CompletableFuture<Exchange> f : failing) {
            assertThat(f.get(10, TimeUnit.SECONDS).getException())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("refused on purpose");
        }
        failOn = null;
        Exchange after = send(5, 6).get(0).get(10, TimeUnit.SECONDS);
        assertThat(after.getException()).isNull();
        assertThat(handled).containsExactly("m0", "m5");
    }

    @Test
    void withoutARunningConsumerAnExchangeFailsAtOnce() throws Exception {
        camel.getRouteController().stopRoute("work");
        Exchange sent = send(0, 1).get(0).get(10, TimeUnit.SECONDS);
        assertThat(sent.getException()).hasMessageContaining("batch:work has no running consumer");
    }

    @Test
    void exchangesStillQueuedWhenTheConsumerStopsFailAndTheRunningBatchEnds() throws Exception {
        gate = new CountDownLatch(1);
        List<CompletableFuture<Exchange>> running = send(0, 1);
        waitFor(() -> batches.size() == 1);
        List<CompletableFuture<Exchange>> queued = send(1, 4);
        Thread.sleep(200);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                camel.getRouteController().stopRoute("work", 20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        gate.countDown();
        stopping.get(30, TimeUnit.SECONDS);
        assertThat(running.get(0).get(10, TimeUnit.SECONDS).getException()).isNull();
        for (CompletableFuture<Exchange> f : queued) {
            assertThat(f.get(10, TimeUnit.SECONDS).getException()).hasMessageContaining("stopped before its batch");
        }
        assertThat(handled).containsExactly("m0");
    }

    static List<CompletableFuture<Exchange>> concat(
            List<CompletableFuture<Exchange>> a, List<CompletableFuture<Exchange>> b) {
        List<CompletableFuture<Exchange>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached in 10 s");
            }
            Thread.sleep(10);
        }
    }
}
