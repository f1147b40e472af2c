package dev.twinflow.embedded;

import dev.twinflow.system.TwinflowProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka twinflow talks to: the configured cluster, or a broker started in-process under {@code
 * <data-dir>/kafka}. Creates the topics the flows use when they are missing; when the cluster is
 * unreachable at start the app starts anyway and keeps trying in the background.
 */
public final class KafkaEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEngine.class);

    private final boolean inProcess;
    private final CompletableFuture<EmbeddedKafka> embedded;
    private final String bootstrapServers;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kafka-topics");
        t.setDaemon(true);
        return t;
    });

    KafkaEngine(KafkaSettings settings, TwinflowProperties twinflow) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : Set.of(
                settings.topic(),
                settings.deadLetterTopic(),
                settings.telemetryTopic(),
                settings.machineTopic(),
                settings.machineDeadLetterTopic())) {
            topics.add(new NewTopic(topic, settings.partitions(), (short) 1));
        }
        inProcess = settings.embedded();
        if (inProcess) {
            // the port now (a taken one stops the start with its setting's name), the broker and its
            // topics in the background: its 4 s overlap the rest of the start, and Camel's routes wait
            // for ready() (KafkaReady), so the topics exist before any route uses them
            int port = Ports.claim(settings.embeddedPort(), "twinflow.kafka.embedded-port");
            Path dir = twinflow.dataDir().resolve("kafka");
            bootstrapServers = "127.0.0.1:" + port;
            embedded = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            EmbeddedKafka started = EmbeddedKafka.start(dir, port);
                            if (!createTopics(topics)) {
                                retryTopics(topics);
                            }
                            return started;
                        } catch (Exception e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    },
                    runnable -> {
                        Thread t = new Thread(runnable, "kafka-broker-start");
                        t.setDaemon(true);
                        t.start();
                    });
            embedded.whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.error("the embedded Kafka did not start ({}); set twinflow.kafka.bootstrap-servers to use another", e.toString());
                }
            });
        } else {
            // an external cluster may be down, which must not hold up the start: tried in the background
            embedded = CompletableFuture.completedFuture(null);
            bootstrapServers = settings.bootstrapServers();
            retryTopics(topics);
        }
    }

    /** Completes when the in-process broker runs and has its topics (at once for an external cluster). */
    public CompletableFuture<?> ready() {
        return embedded;
    }

    private void retryTopics(List<NewTopic> topics) {
        retries.scheduleWithFixedDelay(
                () -> {
                    if (createTopics(topics)) {
                        retries.shutdown();
                    }
                },
                0,
                5,
                TimeUnit.SECONDS);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Engine describe() {
        return inProcess
                ? Engine.embedded(
                        "kafka", bootstrapServers + " (twinflow.kafka.embedded-port), data in <data-dir>/kafka")
                : Engine.external("kafka", bootstrapServers + " (twinflow.kafka.bootstrap-servers)");
    }

    private boolean createTopics(List<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(10, TimeUnit.SECONDS);
                LOG.info(
                        "created Kafka topics {}",
                        missing.stream().map(NewTopic::name).toList());
            }
            return true;
        } catch (Exception e) {
            LOG.warn("Kafka at {} not reachable yet ({}); the app runs on and retries", bootstrapServers, e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
        EmbeddedKafka started;
        try {
            started = embedded.get(120, TimeUnit.SECONDS);
        } catch (Exception neverStarted) {
            return;
        }
        if (started != null) {
            started.close();
        }
    }
}
