package dev.twinflow.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * Machines publishing seed 004's payload at a steady rate (Paho MQTT 5, QoS 1) until stopped. Message
 * {@code i} goes to {@code Query/Response/<device(i % devices)>} with reading {@code seq} = {@code i /
 * devices + 1} and {@code sent_at} (epoch ms at publish), so every (device, seq) is unique and each
 * message carries its own publish time; the other items are a number and a text.
 */
public final class MachineLoad implements AutoCloseable {

    private final MqttAsyncClient client;
    private final String prefix;
    private final int devices;
    private final int items;
    private final int rate;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    // the broker's receive maximum: more in flight is refused
    private final Semaphore window = new Semaphore(100);
    private final AtomicLong acked = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final long startNanos = System.nanoTime();
    private volatile long handedOut;

    private MachineLoad(MqttAsyncClient client, String prefix, int devices, int items, int rate) {
        this.client = client;
        this.prefix = prefix;
        this.devices = devices;
        this.items = items;
        this.rate = rate;
    }

    /** Starts publishing {@code rate} messages/s of {@code items} readings, over devices {@code <prefix>0..}. */
    public static MachineLoad start(String brokerUrl, String prefix, int devices, int items, int rate)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(brokerUrl, "load-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options).waitForCompletion();
        MachineLoad load = new MachineLoad(client, prefix, devices, Math.max(2, items), rate);
        load.ticker.scheduleAtFixedRate(load::publishDue, 0, 5, TimeUnit.MILLISECONDS);
        return load;
    }

    public String device(long message) {
        return prefix + (message % devices);
    }

    public long seq(long message) {
        return message / devices + 1;
    }

    /** Messages handed to the client so far: from this index on, messages are published later. */
    public long published() {
        return handedOut;
    }

    /** Messages the broker has acknowledged (PUBACK). */
    public long acked() {
        return acked.get();
    }

    private void publishDue() {
        long due = (System.nanoTime() - startNanos) * rate / 1_000_000_000L;
        try {
            while (handedOut < due && failure.get() == null) {
                window.acquire();
                publish(handedOut++);
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    private void publish(long i) throws MqttException, InterruptedException {
        StringBuilder payload = new StringBuilder("{\"values\":[{\"id\":\"seq\",\"values\":[")
                .append(seq(i))
                .append("]},{\"id\":\"sent_at\",\"values\":[")
                .append(System.currentTimeMillis())
                .append("]}");
        for (int item = 2; item < items; item++) {
            payload.append(
                    item % 2 == 0
                            ? ",{\"id\":\"X_POS\",\"values\":[" + (i % 1000) + ".5]}"
                            : ",{\"id\":\"STATE\",\"values\":[\"RUNNING\"]}");
        }
        MqttMessage m = new MqttMessage(payload.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        while (true) {
            try {
                client.publish("Query/Response/" + device(i), m, null, listener);
                return;
            } catch (MqttException e) {
                // the broker's receive maximum may be below the window (Mosquitto: 20): try again shortly
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(1);
            }
        }
    }

    private final MqttActionListener listener = new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            acked.incrementAndGet();
            window.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            failure.compareAndSet(null, e);
            window.release();
        }
    };

    /** Stops publishing and waits for every PUBACK; returns how many messages were published (0..n-1). */
    public long stop() throws Exception {
        ticker.shutdown();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        Awaitility.await("every PUBACK")
                .atMost(Duration.ofSeconds(60))
                .until(() -> failure.get() != null || acked.get() == handedOut);
        if (failure.get() != null) {
            throw new IllegalStateException("a publish failed", failure.get());
        }
        return handedOut;
    }

    /** Messages per second published so far. */
    public double rate() {
        return acked.get() * 1e9 / (System.nanoTime() - startNanos);
    }

    @Override
    public void close() throws MqttException {
        ticker.shutdownNow();
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(10_000);
        }
        client.close();
    }
}
