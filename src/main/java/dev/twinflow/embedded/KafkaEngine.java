package dev.twinflow.embedded;

import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    private final EmbeddedKafka embedded;
    private final String bootstrapServers;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kafka-topics");
        t.setDaemon(true);
        return t;
    });

    KafkaEngine(KafkaSettings settings, TwinflowProperties twinflow) throws Exception {
        if (settings.embedded()) {
            embedded = EmbeddedKafka.start(twinflow.dataDir().resolve("kafka"), settings.embeddedPort());
            bootstrapServers = embedded.bootstrapServers();
        } else {
            embedded = null;
            bootstrapServers = settings.bootstrapServers();
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : Set.of(
                settings.topic(),
                settings.deadLetterTopic(),
                settings.telemetryTopic(),
                settings.machineTopic(),
                settings.machineDeadLetterTopic())) {
            topics.add(new NewTopic(topic, settings.partitions(), (short) 1));
        }
        // the in-process broker is up, so its topics exist before any route starts; an external
        // cluster may be down, which must not hold up the start: it is tried in the background
        if (embedded == null || !createTopics(topics)) {
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
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Engine describe() {
        return embedded != null
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
        if (embedded != null) {
            embedded.close();
        }
    }
}
