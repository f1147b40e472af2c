package dev.twinflow.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * Live MQTT load: several Paho v5 publishers (QoS 1, clean sessions, each as many messages in flight
 * as the broker's Receive Maximum allows, up to 1,000) send seed-shaped messages of {@code readings}
 * readings to {@code <prefix>dev-<n>} while a counter (the subscriber under test) is sampled every
 * {@code sampleMs}. Latency is estimated first in, first out: the k-th message published against the
 * moment the count first covered k messages (exact for an in-order subscriber, a fair estimate
 * otherwise, at the sampling resolution).
 */
final class LiveIngest {

    record Result(long messages, int readings, double seconds, double publishSeconds, long p50Micros, long p99Micros) {
        double readingsPerSecond() {
            return messages * readings / seconds;
        }

        double messagesPerSecond() {
            return messages / seconds;
        }

        double publishesPerSecond() {
            return messages / publishSeconds;
        }
    }

    private LiveIngest() {}

    /** Publishes alone (nothing sampled); returns the seconds until the broker acknowledged every message. */
    static double publish(String broker, String prefix, int messages, int readings, int publishers)
            throws InterruptedException {
        long[] sent = new long[messages];
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int p = 0; p < publishers; p++) {
            int publisher = p;
            Thread t = new Thread(() -> publish(broker, prefix, publisher, publishers, messages, readings, sent, next));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static Result run(
            String broker,
            String prefix,
            int messages,
            int readings,
            int publishers,
            LongSupplier counted,
            long sampleMs)
            throws Exception {
        long[] sent = new long[messages];
        AtomicInteger next = new AtomicInteger();
        long before = counted.getAsLong();
        long expected = (long) messages * readings;
        long[] arrivals = new long[messages]; // when the count first covered k+1 messages
        CountDownLatch published = new CountDownLatch(publishers);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long[] publishEnd = new long[1];
        for (int p = 0; p < publishers; p++) {
            int publisher = p;
            Thread t = new Thread(() -> {
                publish(broker, prefix, publisher, publishers, messages, readings, sent, next);
                published.countDown();
            });
            t.start();
            threads.add(t);
        }
        Thread publishWatch = new Thread(() -> {
            try {
                published.await();
                publishEnd[0] = System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        publishWatch.start();
        int covered = 0;
        long lastChange = System.nanoTime();
        long lastCount = -1;
        while (covered < messages) {
            Thread.sleep(sampleMs);
            long now = System.nanoTime();
            long count = counted.getAsLong() - before;
            int messagesCounted = (int) Math.min(messages, count / readings);
            while (covered < messagesCounted) {
                arrivals[covered++] = now;
            }
            if (count != lastCount) {
                lastCount = count;
                lastChange = now;
            } else if (now - lastChange > TimeUnit.SECONDS.toNanos(30)) {
                throw new IllegalStateException("stalled at " + count + " of " + expected + " readings");
            }
        }
        long end = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        publishWatch.join();
        long[] sorted = sent.clone();
        Arrays.sort(sorted);
        long[] latency = new long[messages];
        for (int k = 0; k < messages; k++) {
            latency[k] = Math.max(0, arrivals[k] - sorted[k]);
        }
        Arrays.sort(latency);
        return new Result(
                messages,
                readings,
                (end - start) / 1e9,
                (publishEnd[0] - start) / 1e9,
                latency[messages / 2] / 1000,
                latency[(int) Math.min(messages - 1, messages * 99L / 100)] / 1000);
    }

    private static void publish(
            String broker,
            String prefix,
            int publisher,
            int publishers,
            int messages,
            int readings,
            long[] sent,
            AtomicInteger next) {
        try {
            MqttAsyncClient client = new MqttAsyncClient(
                    broker, "bench-publisher-" + publisher + "-" + System.nanoTime(), new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            IMqttToken connected = client.connect(options);
            connected.waitForCompletion();
            Integer receiveMaximum = connected.getResponseProperties() == null
                    ? null
                    : connected.getResponseProperties().getReceiveMaximum();
            Semaphore window = new Semaphore(Math.min(1000, receiveMaximum == null ? 65535 : receiveMaximum));
            int mine = messages / publishers + (publisher < messages % publishers ? 1 : 0);
            CountDownLatch done = new CountDownLatch(mine);
            MqttActionListener listener = new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    window.release();
                    done.countDown();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    window.release();
                    System.out.println("publish failed: " + e);
                }
            };
            for (int i = 0; i < mine; i++) {
                StringBuilder payload = new StringBuilder("{\"values\":[");
                for (int r = 0; r < readings; r++) {
                    payload.append(r == 0 ? "" : ",")
                            .append("{\"id\":\"D")
                            .append(r)
                            .append("\",\"values\":[")
                            .append(i % 1000)
                            .append(".5]}");
                }
                MqttMessage m = new MqttMessage(payload.append("]}").toString().getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                String topic = prefix + "dev-" + (publisher * 25 + i % 25);
                window.acquire();
                sent[next.getAndIncrement()] = System.nanoTime();
                while (true) {
                    try {
                        client.publish(topic, m, null, listener);
                        break;
                    } catch (MqttException e) {
                        if (e.getReasonCode() != 32202) { // too many in flight: the broker lowered its window
                            throw e;
                        }
                        Thread.sleep(1);
                    }
                }
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("publisher " + publisher + " not acknowledged");
            }
            client.disconnect().waitForCompletion();
            client.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
