package dev.twinflow.machine;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.twinflow.machine.Mqtt5Component.Mqtt5Endpoint;
import dev.twinflow.machine.Mqtt5Component.Mqtt5Settings;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of a {@code mqtt5:} endpoint (see {@link Mqtt5Component}): one HiveMQ MQTT 5 client,
 * manual acknowledgements, each PUBACK after its exchange completed.
 */
final class Mqtt5Consumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(Mqtt5Consumer.class);
    static final long RETRY_FIRST_MS = 1_000;
    static final long RETRY_MAX_MS = 30_000;
    private static final long RECONNECT_FIRST_MS = 500;
    private static final long RECONNECT_MAX_MS = 10_000;

    private final Mqtt5Settings settings;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong();
    private volatile Mqtt5AsyncClient client;
    private volatile boolean running;
    private volatile boolean connectedOnce;
    /** Which start's client is the current one: a client of a failed start never reconnects or subscribes. */
    private volatile int generation;

    private ScheduledExecutorService retries;

    Mqtt5Consumer(Mqtt5Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.settings = endpoint.settings();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        connectedOnce = false;
        retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt5-retry-" + settings.clientId());
            t.setDaemon(true);
            return t;
        });
        URI broker = ((Mqtt5Endpoint) getEndpoint()).getComponent().broker();
        int current = ++generation;
        Mqtt5AsyncClient c = build(broker, current);
        client = c;
        // before the connect: a resumed session's messages arrive right after it. On the client's thread
        // (handle never blocks): behind the default scheduler the flow stalls on a 128-message prefetch,
        // and each arrival and PUBACK then walks every unacknowledged message (87% of the client thread)
        c.publishes(MqttGlobalPublishFilter.ALL, publish -> handle(publish, 1), Runnable::run, true);
        var connecting = c.connectWith()
                .cleanStart(settings.cleanStart())
                .sessionExpiryInterval(settings.sessionExpiryInterval())
                .restrictions()
                .receiveMaximum(settings.receiveMaximum())
                .applyRestrictions()
                .send();
        // a connect that succeeds after this start gave up must not hold the session
        connecting.thenRun(() -> {
            if (current != generation || !running) {
                c.disconnect().exceptionally(e -> null); // not waited for: this runs on the client's thread
            }
        });
        try {
            var connAck = connecting.get(settings.connectTimeoutMs() * 2, TimeUnit.MILLISECONDS);
            Mqtt5Clients.subscribe(c, settings).get(settings.connectTimeoutMs(), TimeUnit.MILLISECONDS);
            connectedOnce = true;
            LOG.info(
                    "{}: subscribed to {} at {} (session {})",
                    settings.clientId(),
                    settings.topicFilter(),
                    broker,
                    connAck.isSessionPresent() ? "resumed" : "new");
        } catch (Exception e) {
            running = false;
            generation++;
            Mqtt5Clients.disconnectQuietly(c, settings);
            retries.shutdownNow();
            throw new IllegalStateException(
                    "mqtt5: " + settings.clientId() + " could not connect to " + broker + " and subscribe: "
                            + (e.getCause() != null ? e.getCause() : e),
                    e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        generation++;
        Mqtt5AsyncClient c = client;
        client = null;
        if (c != null) {
            Mqtt5Clients.disconnectQuietly(c, settings);
        }
        if (retries != null) {
            retries.shutdownNow();
        }
        super.doStop();
    }

    private Mqtt5AsyncClient build(URI broker, int owner) {
        return Mqtt5Clients.builder(settings, broker)
                .addConnectedListener(context -> {
                    if (connectedOnce && owner == generation) {
                        resubscribe();
                    }
                })
                .addDisconnectedListener(context -> {
                    if (owner == generation) {
                        disconnected(context);
                    }
                })
                .buildAsync();
    }

    /** Reconnects (the session and what it holds go on) once a start has connected, until stopped. */
    private void disconnected(MqttClientDisconnectedContext context) {
        if (!running || !connectedOnce) {
            return;
        }
        int attempts = context.getReconnector().getAttempts();
        long delay = doubling(RECONNECT_FIRST_MS, RECONNECT_MAX_MS, attempts);
        if (attempts == 0) {
            LOG.warn(
                    "{}: disconnected from the MQTT broker ({}); reconnecting",
                    settings.clientId(),
                    context.getCause().toString());
        }
        context.getReconnector().reconnect(true).delay(delay, TimeUnit.MILLISECONDS);
    }

    private void resubscribe() {
        Mqtt5AsyncClient c = client;
        if (c == null || !running) {
            return;
        }
        Mqtt5Clients.subscribe(c, settings).whenComplete((ack, e) -> {
            if (e != null) {
                LOG.warn("{}: subscribing again after a reconnect failed: {}", settings.clientId(), e.toString());
            } else {
                LOG.info("{}: reconnected and subscribed to {}", settings.clientId(), settings.topicFilter());
            }
        });
    }

    /** One delivery as an exchange; acknowledged when it completes, processed again when it fails. */
    void handle(Mqtt5Publish publish, int attempt) {
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(publish.getPayloadAsBytes());
        exchange.getMessage()
                .setHeader(PahoMqtt5Constants.MQTT_TOPIC, publish.getTopic().toString());
        getAsyncProcessor().process(exchange, doneSync -> completed(exchange, publish, attempt));
    }

    private void completed(Exchange exchange, Mqtt5Publish publish, int attempt) {
        Exception failure = exchange.getException();
        releaseExchange(exchange, false);
        if (failure == null) {
            try {
                publish.acknowledge();
            } catch (RuntimeException e) {
                // the connection it came on is gone: the broker sends it again on the next one
                LOG.debug("{}: acknowledgement not sent: {}", settings.clientId(), e.toString());
            }
            return;
        }
        failed.incrementAndGet();
        if (!running) {
            return; // not acknowledged: the broker keeps it in the session
        }
        long delay = doubling(RETRY_FIRST_MS, RETRY_MAX_MS, attempt - 1);
        long now = System.nanoTime();
        long last = lastWarning.get();
        if ((last == 0 || now - last > TimeUnit.SECONDS.toNanos(10)) && lastWarning.compareAndSet(last, now)) {
            LOG.warn(
                    "{}: a message on {} was not handled ({} failures so far), processing it again in {} ms: {}",
                    settings.clientId(),
                    publish.getTopic(),
                    failed.get(),
                    delay,
                    failure.toString());
        }
        try {
            retries.schedule(
                    () -> {
                        if (running) {
                            handle(publish, attempt + 1);
                        }
                    },
                    delay,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // stopped meanwhile: not acknowledged, the broker keeps it in the session
        }
    }

    /** {@code firstMs} doubled {@code steps} times, at most {@code maxMs}. */
    static long doubling(long firstMs, long maxMs, int steps) {
        return Math.min(maxMs, firstMs << Math.min(steps, 20));
    }
}
