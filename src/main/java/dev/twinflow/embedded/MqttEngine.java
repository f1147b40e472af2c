package dev.twinflow.embedded;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import dev.twinflow.system.TwinflowProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT broker twinflow talks to: the configured one, or a real MQTT 5 broker (HiveMQ Community
 * Edition, embedded) listening on {@code twinflow.mqtt.embedded-port}, with its persistent sessions
 * and queued messages under {@code <data-dir>/mqtt}.
 */
public final class MqttEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttEngine.class);

    private final boolean embedded;
    private final String url;
    private final CompletableFuture<EmbeddedHiveMQ> broker;

    MqttEngine(MqttSettings settings, TwinflowProperties twinflow) throws Exception {
        embedded = settings.embedded();
        if (embedded) {
            Path dir =
                    Files.createDirectories(twinflow.dataDir().resolve("mqtt").toAbsolutePath());
            int port = Ports.claim(settings.embeddedPort(), "twinflow.mqtt.embedded-port");
            url = "tcp://127.0.0.1:" + port;
            // in the background: the broker's 3 s overlap the rest of the start (Kafka, Hadoop, Camel);
            // the ingest's first subscription waits for it (ready())
            broker = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return startBroker(
                                    dir, port, "0.0.0.0", settings.maxQueuedMessages(), settings.embeddedMaxInflight());
                        } catch (Exception e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    },
                    runnable -> {
                        Thread t = new Thread(runnable, "mqtt-broker-start");
                        t.setDaemon(true);
                        t.start();
                    });
            broker.whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.error("the embedded MQTT broker did not start ({}); set twinflow.mqtt.broker-url to use another", e.toString());
                }
            });
        } else {
            url = settings.brokerUrl();
            broker = CompletableFuture.completedFuture(null);
        }
    }

    /** Completes when the embedded broker accepts connections (at once for an external one). */
    public CompletableFuture<?> ready() {
        return broker;
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
        InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = inflight;
        InternalConfigurations.PUBLISH_POLL_BATCH_SIZE = inflight;
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
        EmbeddedHiveMQ broker = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                .withoutLoggingBootstrap()
                .build();
        broker.start().get(60, TimeUnit.SECONDS);
        return broker;
    }

    public String url() {
        return url;
    }

    public Engine describe() {
        return embedded
                ? Engine.embedded("mqtt", url + " (twinflow.mqtt.embedded-port), MQTT 5, sessions in <data-dir>/mqtt")
                : Engine.external("mqtt", url + " (twinflow.mqtt.broker-url)");
    }

    @Override
    public void close() throws Exception {
        EmbeddedHiveMQ started;
        try {
            started = broker.get(60, TimeUnit.SECONDS);
        } catch (Exception neverStarted) {
            return;
        }
        if (started != null) {
            started.stop().get(30, TimeUnit.SECONDS);
            started.close();
        }
    }
}
