package dev.twinflow.embedded;

import dev.twinflow.system.PortInUse;
import dev.twinflow.system.Ports;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) running in this JVM. Its log lives
 * in a folder that is formatted once and reused, so records and committed offsets survive restarts.
 *
 * <p>Acknowledged records are in the broker's page cache; like any Kafka with default flush
 * settings they survive a crash of this process, not a power loss of the machine.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats {@code dir} if it is new, then starts the broker on {@code port} (0 = any free port).
     *
     * @throws PortInUse naming {@code twinflow.kafka.embedded-port} when the port is taken
     */
    public static EmbeddedKafka start(Path dir, int port) throws Exception {
        int brokerPort = Ports.claim(port, "twinflow.kafka.embedded-port");
        int controllerPort = Ports.free();
        Files.createDirectories(dir);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 << 20));
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        if (!Files.exists(dir.resolve("meta.properties"))) {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(dir.toString())
                    .setDirectories(List.of(dir.toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new EmbeddedKafka(server, "127.0.0.1:" + brokerPort);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
