package dev.twinflow.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.configuration.service.InternalConfigurations;
import dev.twinflow.AppIT;
import dev.twinflow.TestKafka;
import dev.twinflow.embedded.KafkaEngine;
import dev.twinflow.embedded.MqttEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A burst larger than every window on the way (the broker's send window, its queue reads, the
 * ingest client's inbound queue, the Kafka producer's batches): 50,000 QoS 1 messages, each with its own sequence
 * number, published as fast as the embedded broker takes them, all on Kafka machine_data exactly
 * once: with the window twinflow configures (10,000) and with HiveMQ's own (50).
 */
class MqttBurstIT extends AppIT {

    static final int MESSAGES = 50_000;
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    MqttEngine mqtt;

    @Autowired
    KafkaEngine kafka;

    @Test
    void aBurstLargerThanEveryWindowArrivesOnceWithTheTunedWindow() throws Exception {
        assertThat(InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES).isEqualTo(10_000);
        burstArrivesOnce("tuned");
    }

    @Test
    void aBurstLargerThanEveryWindowArrivesOnceWithTheBrokersDefaultWindow() throws Exception {
        // HiveMQ reads these on every queue poll, so the running broker takes its own defaults again
        int window = InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES;
        int poll = InternalConfigurations.PUBLISH_POLL_BATCH_SIZE;
        InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = 50;
        InternalConfigurations.PUBLISH_POLL_BATCH_SIZE = 50;
        try {
            burstArrivesOnce("default");
        } finally {
            InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = window;
            InternalConfigurations.PUBLISH_POLL_BATCH_SIZE = poll;
        }
    }

    void burstArrivesOnce(String run) throws Exception {
        String prefix = "burst-" + run + "-" + Long.toString(System.nanoTime(), 36) + "-";
        try (KafkaConsumer<String, byte[]> consumer =
                TestKafka.consumerAtEnd(kafka.bootstrapServers(), "machine_data")) {
            publish(prefix);
            Map<Long, Integer> seen = new HashMap<>();
            long[] records = {0};
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ZERO)
                    .until(() -> collect(consumer, prefix, seen, records) >= MESSAGES);
            // what a duplicate would need to show up: the rest of what is on the topic now
            for (int i = 0; i < 5; i++) {
                collect(consumer, prefix, seen, records);
            }
            assertThat(seen).hasSize(MESSAGES);
            assertThat(seen.keySet()).allMatch(seq -> seq >= 0 && seq < MESSAGES);
            assertThat(seen.entrySet()).filteredOn(e -> e.getValue() > 1).isEmpty();
            assertThat(records[0]).isEqualTo(MESSAGES);
        }
    }

    /** One poll: counts this run's records and each sequence number in them; returns the numbers seen. */
    static int collect(KafkaConsumer<String, byte[]> consumer, String prefix, Map<Long, Integer> seen, long[] records)
            throws Exception {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.key() != null && r.key().startsWith(prefix)) {
                records[0]++;
                for (JsonNode reading : JSON.readTree(r.value())) {
                    seen.merge(reading.get("value").asLong(), 1, Integer::sum);
                }
            }
        }
        return seen.size();
    }

    /** 50,000 messages to 20 devices from one client, as many in flight as the broker allows. */
    void publish(String prefix) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(mqtt.url(), prefix + "publisher", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        IMqttToken connected = client.connect(options);
        connected.waitForCompletion(10_000);
        Integer receiveMaximum = connected.getResponseProperties().getReceiveMaximum();
        Semaphore window = new Semaphore(receiveMaximum == null ? 65535 : receiveMaximum);
        CountDownLatch acked = new CountDownLatch(MESSAGES);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        MqttActionListener listener = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                window.release();
                acked.countDown();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                failed.set(e);
                window.release();
            }
        };
        for (int i = 0; i < MESSAGES; i++) {
            window.acquire();
            MqttMessage m = new MqttMessage(
                    ("{\"values\":[{\"id\":\"SEQ\",\"values\":[" + i + "]}]}").getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            client.publish("Query/Response/" + prefix + (i % 20), m, null, listener);
        }
        assertThat(acked.await(3, TimeUnit.MINUTES))
                .as("every publish acknowledged")
                .isTrue();
        assertThat(failed.get()).isNull();
        client.disconnect().waitForCompletion(10_000);
        client.close();
    }
}
