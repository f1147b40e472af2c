package dev.twinflow.bench;

import dev.twinflow.embedded.MqttEngine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Machine data readings/s, MQTT 5 QoS 1 in, counted at the far end: twinflow's ingest (Paho
 * subscriber with manual acks → Kafka machine_data → latest values and counters in Redis, counted by
 * the {@code machine_readings} hash) against a plain Paho subscriber draining the same embedded broker
 * (QoS 1, counting in memory). Both drain a backlog: the messages are queued in the broker for their
 * persistent session while the subscriber (or the ingest route) is stopped, then the clock runs from
 * its start until every reading is counted. Same payloads, same run; the first round warms up.
 *
 * <pre>bench/machine/run.sh [messages=100000] [readings-per-message=10] [publishers=4]</pre>
 */
public final class MachineBench {

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int readings = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int publishers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        System.out.printf(
                "%,d MQTT messages x %d readings, %d publishers, QoS 1, %d cores%n",
                messages, readings, publishers, Runtime.getRuntime().availableProcessors());

        ConfigurableApplicationContext app = BenchApp.start();
        String broker = app.getBean(MqttEngine.class).url();
        StringRedisTemplate redis = app.getBean(StringRedisTemplate.class);

        // baseline: a plain Paho subscriber with a persistent session, draining what queued while it was away
        AtomicLong plainReceived = new AtomicLong();
        MqttClient plain = new MqttClient(broker, "bench-plain-subscriber", new MemoryPersistence());
        plain.setCallback(new Counting(plainReceived, readings));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        plain.connect(options);
        plain.subscribe("Bench/Plain/+", 1);
        Result baseline = null;
        for (int round = 0; round < 2; round++) { // the first round warms up
            int n = round == 0 ? messages / 5 : messages;
            plain.disconnect();
            publish(broker, "Bench/Plain/", n, readings, publishers);
            long start = System.nanoTime();
            long before = plainReceived.get();
            plain.connect(options);
            baseline = drain(start, before, n, readings, plainReceived::get);
        }
        plain.disconnect();
        plain.close();

        // twinflow: the ingest route stopped (its persistent session queues), then started and timed
        // until Redis has counted every reading
        LongSupplier counted = () -> redis.<String, String>opsForHash().values("machine_readings").stream()
                .mapToLong(Long::parseLong)
                .sum();
        org.apache.camel.CamelContext camel = app.getBean(org.apache.camel.CamelContext.class);
        Result twinflow = null;
        for (int round = 0; round < 2; round++) {
            int n = round == 0 ? messages / 5 : messages;
            camel.getRouteController().stopRoute("ingest-machine-data");
            publish(broker, "Query/Response/", n, readings, publishers);
            long start = System.nanoTime();
            long before = counted.getAsLong();
            camel.getRouteController().startRoute("ingest-machine-data");
            twinflow = drain(start, before, n, readings, counted);
        }
        app.close();

        System.out.printf(
                "plain Paho subscriber                      %,10.0f readings/s  (%,d in %.2f s)%n",
                baseline.perSecond(), baseline.readings(), baseline.seconds());
        System.out.printf(
                "twinflow MQTT -> Kafka -> Redis counters   %,10.0f readings/s  (%,d in %.2f s)%n",
                twinflow.perSecond(), twinflow.readings(), twinflow.seconds());
        System.out.printf("ratio twinflow / plain: %.2f%n", twinflow.perSecond() / baseline.perSecond());
        System.exit(0);
    }

    record Result(long readings, double seconds) {
        double perSecond() {
            return readings / seconds;
        }
    }

    /** Publishes from several clients at once; returns when the broker has acknowledged every message. */
    static void publish(String broker, String prefix, int messages, int readings, int publishers) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int publisher = p;
            Thread t = new Thread(() -> publish(broker, prefix, publisher, publishers, messages, readings));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Waits until {@code received} (a running total of readings) has grown by all of them. */
    static Result drain(long start, long before, int messages, int readings, LongSupplier received)
            throws InterruptedException {
        long expected = (long) messages * readings;
        long last = -1;
        long lastChange = System.nanoTime();
        while (received.getAsLong() - before < expected) {
            Thread.sleep(20);
            long now = received.getAsLong() - before;
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(30)) {
                throw new IllegalStateException("stalled at " + now + " of " + expected + " readings");
            }
        }
        return new Result(expected, (System.nanoTime() - start) / 1e9);
    }

    private static void publish(
            String broker, String prefix, int publisher, int publishers, int messages, int readings) {
        try {
            MqttAsyncClient client = new MqttAsyncClient(
                    broker, "bench-publisher-" + publisher + "-" + System.nanoTime(), new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options).waitForCompletion();
            // the broker's receive maximum bounds what is in flight; more is refused (32202) and retried
            Semaphore window = new Semaphore(100);
            CountDownLatch done = new CountDownLatch(1);
            AtomicLong acked = new AtomicLong();
            int mine = messages / publishers + (publisher < messages % publishers ? 1 : 0);
            MqttActionListener listener = new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    window.release();
                    if (acked.incrementAndGet() == mine) {
                        done.countDown();
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    window.release();
                    throw new IllegalStateException(e);
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
                String topic = prefix + "dev-" + (publisher * 1000 + i % 25);
                window.acquire();
                while (true) {
                    try {
                        client.publish(topic, m, null, listener);
                        break;
                    } catch (MqttException e) {
                        if (e.getReasonCode() != 32202) {
                            throw e;
                        }
                        Thread.sleep(1);
                    }
                }
            }
            if (mine > 0 && !done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("publisher " + publisher + " not acknowledged");
            }
            client.disconnect().waitForCompletion();
            client.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts the readings of each message it receives (the payloads all carry the same number). */
    private record Counting(AtomicLong received, int readings) implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.addAndGet(readings);
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {}

        @Override
        public void mqttErrorOccurred(MqttException exception) {}

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }
}
