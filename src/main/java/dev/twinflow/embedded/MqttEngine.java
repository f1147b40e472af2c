package dev.twinflow.embedded;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.Engine;
import dev.twinflow.system.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT broker twinflow talks to: the configured one, or a real MQTT 5 broker (HiveMQ Community
 * Edition, embedded) listening on {@code twinflow.mqtt.embedded-port}, with its persistent sessions
 * and queued messages under {@code <data-dir>/mqtt}.
 */
public final class MqttEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttEngine.class);

    private final EmbeddedHiveMQ broker;
    private final CompletableFuture<Void> started;
    private final String url;

    MqttEngine(MqttSettings settings, TwinflowProperties twinflow) throws Exception {
        if (settings.embedded()) {
            Path dir =
                    Files.createDirectories(twinflow.dataDir().resolve("mqtt").toAbsolutePath());
            int port = Ports.claim(settings.embeddedPort(), "twinflow.mqtt.embedded-port");
            broker = buildBroker(dir, port, "0.0.0.0", settings.maxQueuedMessages(), settings.embeddedMaxInflight());
            url = "tcp://127.0.0.1:" + port;
            // side by side with the rest of the start-up (it needs nothing of it, and most of its ~2 s
            // is its own threads); the MQTT routes wait for it (awaitStarted), its health is DOWN until
            // it listens, and a broker that cannot start leaves the app running with health DOWN
            started = broker.start().whenComplete((done, failed) -> {
                if (failed != null) {
                    LOG.error("the embedded MQTT broker did not start (port {})", port, failed);
                }
            });
        } else {
            broker = null;
            started = CompletableFuture.completedFuture(null);
            url = settings.brokerUrl();
        }
    }

    /**
     * Waits up to {@code timeout} for the embedded broker to have started (an external one counts as
     * started).
     *
     * @return whether it has, false if it failed to or is still starting
     */
    public boolean awaitStarted(Duration timeout) {
        try {
            started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** {@link #startBroker(Path, int, String, long, int)} with twinflow's default window of 1,000. */
    public static EmbeddedHiveMQ startBroker(Path dir, int port, String bindAddress, long maxQueued) throws Exception {
        return startBroker(dir, port, bindAddress, maxQueued, 1000);
    }

    /**
     * Starts a real MQTT 5 broker (HiveMQ CE, embedded) on {@code port} with its configuration, sessions
     * and queued messages under {@code dir}; each client's queue holds up to {@code maxQueued}
     * messages, and up to {@code inflight} QoS 1 messages are in flight per client, each way.
     *
     * <p>HiveMQ sends a subscriber at most 50 unacknowledged messages and reads its queue 50 at a time
     * (internal settings, not in config.xml): a subscriber whose PUBACK waits for Kafka then gets ~1,100
     * messages/s, a queued backlog drains at the same pace. Both are JVM-wide static fields, set here
     * before the broker starts.
     */
    public static EmbeddedHiveMQ startBroker(Path dir, int port, String bindAddress, long maxQueued, int inflight)
            throws Exception {
        EmbeddedHiveMQ broker = buildBroker(dir, port, bindAddress, maxQueued, inflight);
        broker.start().get(60, TimeUnit.SECONDS);
        return broker;
    }

    /** The broker of {@link #startBroker(Path, int, String, long, int)}, configured, not started. */
    static EmbeddedHiveMQ buildBroker(Path dir, int port, String bindAddress, long maxQueued, int inflight)
            throws Exception {
        InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = inflight;
        InternalConfigurations.PUBLISH_POLL_BATCH_SIZE = inflight;
        Path data = dir.resolve("data");
        InternalConfigurations.PERSISTENCE_BUCKET_COUNT.set(buckets(data, "client_queue"));
        InternalConfigurations.PAYLOAD_PERSISTENCE_BUCKET_COUNT.set(buckets(data, "publish_payload_store"));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(
                conf.resolve("config.xml"),
                """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                    </tcp-listener>
                  </listeners>
                  <mqtt>
                    <queued-messages>
                      <max-queue-size>%d</max-queue-size>
                      <strategy>discard</strategy>
                    </queued-messages>
                    <receive-maximum>
                      <server-receive-maximum>%d</server-receive-maximum>
                    </receive-maximum>
                  </mqtt>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """
                        .formatted(port, bindAddress, maxQueued, inflight));
        return EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                .withoutLoggingBootstrap()
                .build();
    }

    /**
     * The buckets HiveMQ splits each of its stores into (sessions, subscriptions, queues, payloads,
     * retained messages). Its own default, 64, opens 320 stores at each start: a second of CPU, most of
     * the broker's start. A broker on one machine's cores needs far fewer.
     */
    static final int BUCKETS = 4;

    /**
     * How many buckets the broker's store {@code store} keeps under {@code data}: as many as it has on disk
     * (a data dir made with another count keeps it: its messages lie in those buckets), else {@link
     * #BUCKETS}.
     */
    static int buckets(Path data, String store) throws IOException {
        Path root = data.resolve("persistence").resolve(store);
        if (!Files.isDirectory(root)) {
            return BUCKETS;
        }
        Pattern bucket = Pattern.compile(Pattern.quote(store) + "_\\d+");
        int most = 0;
        try (Stream<Path> versions = Files.list(root)) {
            for (Path version : versions.filter(Files::isDirectory).toList()) {
                try (Stream<Path> buckets = Files.list(version)) {
                    most = Math.max(most, (int) buckets.filter(b ->
                                    bucket.matcher(b.getFileName().toString()).matches())
                            .count());
                }
            }
        }
        return most > 0 ? most : BUCKETS;
    }

    public String url() {
        return url;
    }

    public Engine describe() {
        return broker != null
                ? Engine.embedded("mqtt", url + " (twinflow.mqtt.embedded-port), MQTT 5, sessions in <data-dir>/mqtt")
                : Engine.external("mqtt", url + " (twinflow.mqtt.broker-url)");
    }

    @Override
    public void close() throws Exception {
        if (broker != null) {
            // a broker still starting is stopped once it has
            awaitStarted(Duration.ofSeconds(60));
            broker.stop().get(30, TimeUnit.SECONDS);
            broker.close();
        }
    }
}
