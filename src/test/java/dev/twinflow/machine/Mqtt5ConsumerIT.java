package dev.twinflow.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.embedded.EmbeddedHiveMQ;
import dev.twinflow.TestDevice;
import dev.twinflow.embedded.MqttEngine;
import dev.twinflow.system.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mqtt5:} on a real MQTT 5 broker (embedded HiveMQ CE), published to by a Paho device: the
 * PUBACK only after the exchange completed, a failed exchange processed again, a start that fails
 * while the broker is down, a reconnect that resumes the session.
 */
class Mqtt5ConsumerIT {

    static final int PORT = Ports.free();
    static final String URL = "tcp://127.0.0.1:" + PORT;

    @TempDir
    static Path dir;

    static EmbeddedHiveMQ broker;

    CamelContext camel;
    final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = MqttEngine.startBroker(dir, PORT, "127.0.0.1", 10_000);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.stop().get(30, TimeUnit.SECONDS);
        broker.close();
    }

    @AfterEach
    void stopCamel() {
        if (camel != null) {
            camel.stop();
        }
    }

    /** A Camel context with {@code mqtt5:} at {@code url}, route "in" from {@code uri} through {@code step}. */
    CamelContext camel(String url, String uri, org.apache.camel.Processor step) throws Exception {
        return camel(() -> url, uri, step);
    }

    CamelContext camel(java.util.function.Supplier<String> url, String uri, org.apache.camel.Processor step)
            throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addComponent("mqtt5", new Mqtt5Component(url));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("in").autoStartup(false).process(e -> {
                    seen.add(e.getMessage().getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class) + " "
                            + new String(e.getMessage().getBody(byte[].class), StandardCharsets.UTF_8));
                    step.process(e);
                });
            }
        });
        context.start();
        return context;
    }

    /** A fresh context whose route "in" runs from {@code uri} through {@code step}. */
    CamelContext started(String uri, org.apache.camel.Processor step) throws Exception {
        seen.clear();
        CamelContext context = camel(URL, uri, step);
        context.getRouteController().startRoute("in");
        return context;
    }

    /** Stops the route (its client disconnects; the session stays on the broker) and the context. */
    void stopped() throws Exception {
        camel.getRouteController().stopRoute("in");
        camel.stop();
    }

    static void publish(String topic, String payload) throws Exception {
        try (TestDevice device = TestDevice.connect(URL, "device-")) {
            device.publish(topic, payload);
        }
    }

    @Test
    void aMessageArrivesWithItsTopicAndPayload() throws Exception {
        camel = started("mqtt5:plain/+?clientId=plain-ingest", e -> {});

        publish("plain/M1", "{\"v\":1}");

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly("plain/M1 {\"v\":1}");
    }

    @Test
    void messagesAreHandedToTheRouteOnTheClientsOwnThreadNotBehindAScheduler() throws Exception {
        // behind HiveMQ's default application scheduler the client's flow stalls on a 128-message
        // prefetch, and each arrival then walks every unacknowledged message
        List<String> threads = new CopyOnWriteArrayList<>();
        camel = started(
                "mqtt5:thread/+?clientId=thread-ingest",
                e -> threads.add(Thread.currentThread().getName()));

        publish("thread/M1", "a");
        publish("thread/M2", "b");

        await().atMost(Duration.ofSeconds(10)).until(() -> threads.size() == 2);
        assertThat(threads).allMatch(t -> t.startsWith("com.hivemq.client.mqtt"), "the client's Netty thread");
    }

    @Test
    void aMessageWhoseExchangeNeverCompletedComesAgainInTheResumedSession() throws Exception {
        // the first delivery's exchange fails, and the route stops before its retry: no PUBACK was sent
        camel = started("mqtt5:held/+?clientId=held-ingest", e -> {
            throw new IllegalStateException("Kafka is down");
        });
        publish("held/M2", "first");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        stopped();

        camel = started("mqtt5:held/+?clientId=held-ingest", e -> {});

        await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
        assertThat(seen).containsExactly("held/M2 first");
    }

    @Test
    void aFailedExchangeIsProcessedAgainUntilItCompletesAndIsThenAcknowledged() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        camel = started("mqtt5:retry/+?clientId=retry-ingest", e -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
        });
        publish("retry/M3", "again");

        // 1 s, then 2 s back-off
        await().atMost(Duration.ofSeconds(15)).until(() -> attempts.get() == 3);
        stopped();

        // acknowledged: the resumed session holds nothing
        camel = started("mqtt5:retry/+?clientId=retry-ingest", e -> {});
        publish("retry/M4", "next");
        await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
        Thread.sleep(500);
        assertThat(seen).containsExactly("retry/M4 next");
    }

    @Test
    void aStartFailsWhileTheBrokerIsDownAndSucceedsOnceItAnswers() throws Exception {
        String nobody = "tcp://127.0.0.1:" + Ports.free();
        java.util.concurrent.atomic.AtomicReference<String> url =
                new java.util.concurrent.atomic.AtomicReference<>(nobody);
        camel = camel(url::get, "mqtt5:late/+?clientId=late-ingest&connectTimeoutMs=1000", e -> {});

        assertThatThrownBy(() -> camel.getRouteController().startRoute("in"))
                .hasStackTraceContaining("could not connect to " + nobody);
        assertThat(camel.getRouteController().getRouteStatus("in").isStarted()).isFalse();

        // the broker "comes up": the next start (MqttRoutes retries every 2 s) connects a new client
        url.set(URL);
        camel.getRouteController().startRoute("in");
        publish("late/M5", "up");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly("late/M5 up");
    }

    @Test
    void anInvalidReceiveMaximumIsRefusedWhenTheRouteIsMade() {
        assertThatThrownBy(() -> camel(URL, "mqtt5:bad/+?receiveMaximum=0", e -> {}))
                .hasStackTraceContaining("receiveMaximum must be 1..65535");
    }
}
