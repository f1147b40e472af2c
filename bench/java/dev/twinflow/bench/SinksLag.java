package dev.twinflow.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * The sinks' lag under live ingest: MQTT 5 messages (QoS 1, the seed's payload, devices dev-0..dev-99)
 * published at a paced rate to {@code Query/Response/<device>} while every 200 ms each sink group's
 * uncommitted machine_data records are sampled (end offsets minus committed offsets, so a batch counts
 * as stored only once its commit follows the store's answer).
 */
final class SinksLag {

    /** What one run saw: per group, its lag samples in records; the messages the broker acknowledged. */
    record Result(Map<String, List<Long>> samples, long messages, double seconds) {}

    private SinksLag() {}

    static Result run(String broker, SinksKafka kafka, List<String> groups, int rate, int perRecord, int seconds)
            throws Exception {
        Map<String, List<Long>> samples = new HashMap<>();
        groups.forEach(g -> samples.put(g, new ArrayList<>()));
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> {
                    try {
                        kafka.lags(groups).forEach((g, lag) -> samples.get(g).add(lag));
                    } catch (Exception e) {
                        System.out.println("lag sample failed: " + e);
                    }
                },
                200,
                200,
                TimeUnit.MILLISECONDS);

        MqttAsyncClient client =
                new MqttAsyncClient(broker, "bench-sinks-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options).waitForCompletion();
        long messages = (long) rate * seconds / perRecord;
        long interval = TimeUnit.SECONDS.toNanos(1) * perRecord / rate;
        // the broker's receive maximum bounds what is in flight; more is refused (32202) and retried
        Semaphore window = new Semaphore(100);
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong acked = new AtomicLong();
        MqttActionListener listener = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                window.release();
                if (acked.incrementAndGet() == messages) {
                    done.countDown();
                }
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                window.release();
                System.out.println("publish failed: " + e);
            }
        };
        long start = System.nanoTime();
        for (long i = 0; i < messages; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            MqttMessage m = new MqttMessage(payload(i, perRecord));
            m.setQos(1);
            window.acquire();
            while (true) {
                try {
                    client.publish("Query/Response/dev-" + (i % 100), m, null, listener);
                    break;
                } catch (MqttException e) {
                    if (e.getReasonCode() != 32202) {
                        throw e;
                    }
                    Thread.sleep(1);
                }
            }
        }
        if (messages > 0 && !done.await(2, TimeUnit.MINUTES)) {
            System.out.println("only " + acked.get() + " of " + messages + " messages acknowledged");
        }
        double took = (System.nanoTime() - start) / 1e9;
        sampler.shutdown();
        sampler.awaitTermination(10, TimeUnit.SECONDS);
        client.disconnect().waitForCompletion();
        client.close();
        return new Result(samples, acked.get(), took);
    }

    /** The seed's shape: {@code {"values":[{"id":"temp","values":[21.5]}, ...]}}. */
    static byte[] payload(long i, int perRecord) {
        StringBuilder json = new StringBuilder("{\"values\":[");
        for (int r = 0; r < perRecord; r++) {
            json.append(r == 0 ? "{\"id\":\"temp\"" : ",{\"id\":\"d" + r + "\"")
                    .append(",\"values\":[")
                    .append(20 + (i % 40) / 4.0 + r)
                    .append("]}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code q}-quantile (0..1) of the samples, nearest rank. */
    static long quantile(List<Long> samples, double q) {
        List<Long> sorted = new ArrayList<>(samples);
        sorted.sort(null);
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.max(0, Math.ceil(q * sorted.size()) - 1));
    }
}
