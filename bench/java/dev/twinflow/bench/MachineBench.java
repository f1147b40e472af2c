package dev.twinflow.bench;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dev.twinflow.ChildApp;
import dev.twinflow.system.Ports;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Live machine-data ingest, MQTT 5 QoS 1: publishers and subscriber running together (LiveIngest),
 * the clock from the first publish until every reading is counted. twinflow (HiveMQ MQTT client with
 * manual acks → Kafka machine_data → latest values and counters in Redis, counted by the {@code
 * machine_readings} hash) against a plain Java Paho v5 subscriber (QoS 1, persistent session,
 * counting in memory), the baseline, and a plain HiveMQ MQTT client subscriber (the library
 * twinflow's ingest uses, manual acks, counting in memory) on the same broker with the same load, same
 * run. On the embedded broker, and on
 * a Mosquitto 2 of the bench's own (queue 1M, default in-flight) where Debian's mosquitto is
 * installed. Also: the publishers' rate, end-to-end latency to the count, and the uncommitted records
 * of the export and the sinks sampled during twinflow's runs. twinflow runs in its own JVM and warms up
 * first, in runs as long as the measured one, until its JIT has settled (3 to 12 runs); then rounds
 * (-Dbench.rounds, 3) of plain Paho, plain HiveMQ client and twinflow, each round once the export and
 * the sinks have caught up; the median of the rounds' ratios is the figure.
 *
 * <pre>bench/machine/run.sh [messages=20000] [readings-per-message=10] [publishers=4] [brokers=embedded,mosquitto]</pre>
 */
public final class MachineBench {

    static final List<String> GROUPS = List.of("machine_latest_values", "machine_data_export", "machine_data_mysql");

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int readings = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int publishers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        List<String> brokers = List.of((args.length > 3 ? args[3] : "embedded,mosquitto").split(","));
        System.out.printf(
                "%,d MQTT messages x %d readings, %d publishers, QoS 1, live, %d cores%n",
                messages, readings, publishers, Runtime.getRuntime().availableProcessors());
        Map<String, String> lines = new LinkedHashMap<>();
        if (brokers.contains("embedded")) {
            lines.putAll(broker("embedded", null, messages, readings, publishers));
        }
        if (!brokers.contains("mosquitto")) {
            System.out.println("Mosquitto: not asked for");
        } else if (Mosquitto.available()) {
            // more broker settings, ';' between lines, '=' for the space: -Dbench.mosquitto=max_inflight_messages=1000
            String[] extra = listProperty("bench.mosquitto").stream()
                    .map(l -> l.replaceFirst("=", " "))
                    .toArray(String[]::new);
            try (Mosquitto mosquitto = Mosquitto.start(Files.createTempDirectory("bench-mosquitto"), extra)) {
                lines.putAll(broker("mosquitto", mosquitto.url(), messages, readings, publishers));
            }
        } else {
            System.out.println("Mosquitto: not installed (apt-get install mosquitto), its rows are left out");
        }
        System.out.println();
        lines.values().forEach(System.out::println);
        System.exit(0);
    }

    static Map<String, String> broker(String name, String url, int messages, int readings, int publishers)
            throws Exception {
        List<String> settings = new ArrayList<>(List.of("--twinflow.export.max-age=2s"));
        // more app settings for a tuned run: -Dbench.settings="--key=value --key=value"
        String extra = System.getProperty("bench.settings", "").trim();
        if (!extra.isEmpty()) {
            settings.addAll(List.of(extra.split("\\s+")));
        }
        if (url != null) {
            settings.add("--twinflow.mqtt.broker-url=" + url);
            settings.add("--camel.component.paho-mqtt5.broker-url=" + url);
        }
        // twinflow in its own JVM, as a user runs it, its JIT and heap its own (-Dbench.inProcess=true:
        // in the bench's JVM, for one profile of both)
        int redisPort = Ports.free();
        int kafkaPort = Ports.free();
        int mqttPort = Ports.free();
        settings.addAll(List.of(
                "--twinflow.redis.embedded-port=" + redisPort,
                "--twinflow.kafka.embedded-port=" + kafkaPort,
                "--twinflow.mqtt.embedded-port=" + mqttPort,
                "--twinflow.mysql.embedded-port=" + Ports.free()));
        String broker = url != null ? url : "tcp://127.0.0.1:" + mqttPort;
        AutoCloseable app;
        long appPid = ProcessHandle.current().pid(); // twinflow's JVM: this one, or its child
        if (Boolean.getBoolean("bench.inProcess")) {
            app = BenchApp.start(settings.toArray(String[]::new));
        } else {
            Path dir = Files.createTempDirectory("twinflow-bench");
            // more JVM options for twinflow's JVM, ';' between them: -Dbench.jvm=-XX:StartFlightRecording
            List<String> jvm = new ArrayList<>(List.of("-Xmx2g"));
            jvm.addAll(listProperty("bench.jvm"));
            ChildApp child = ChildApp.start(
                    dir.resolve("data"),
                    dir.resolve("app.log"),
                    jvm,
                    BenchApp.withDefaults(settings.toArray(String[]::new)).toArray(String[]::new));
            CpuShares.label(child.pid(), "twinflow's JVM");
            appPid = child.pid();
            app = child::stop; // SIGTERM: a JFR recording of its own is written out
        }
        RedisClient redisClient = RedisClient.create("redis://127.0.0.1:" + redisPort);
        StatefulRedisConnection<String, String> redis = redisClient.connect();
        LongSupplier counted = () -> redis.sync().hvals("machine_readings").stream()
                .mapToLong(Long::parseLong)
                .sum();
        // warm-ups as long as the measured run until twinflow's JIT has settled: with one C2 thread on 2
        // cores it compiles for minutes (6 s of every 10 in the first three), and a server that runs for
        // hours is measured compiled. At least -Dbench.warmups (3), until its compilers took under 10%
        // of a core during one, at most -Dbench.maxWarmups (12)
        int minWarmups = Integer.getInteger("bench.warmups", 3);
        int maxWarmups = Integer.getInteger("bench.maxWarmups", 12);
        for (int i = 1; i <= maxWarmups; i++) {
            long jitBefore = CpuShares.compilerTicks(appPid);
            LiveIngest.Result warm =
                    LiveIngest.run(broker, "Query/Response/", messages, readings, publishers, counted, 10);
            double jit = (CpuShares.compilerTicks(appPid) - jitBefore) / 100.0 / warm.seconds();
            System.out.printf(
                    "%s warm-up %d: twinflow %,.0f msgs/s, its JIT %.0f%% of a core%n",
                    name, i, warm.messagesPerSecond(), jit * 100);
            if (i >= minWarmups && jit < 0.10) {
                break;
            }
        }
        // both measured runs start on a settled machine: the export and the sinks (the MySQL sink starts
        // once the embedded MariaDB is up) have caught up with the warm-ups, as a live system would be
        SinksKafka kafka = new SinksKafka("127.0.0.1:" + kafkaPort);
        settle(kafka);

        AtomicLong plainReceived = new AtomicLong();
        MqttClient plain = new MqttClient(broker, "bench-plain-subscriber", new MemoryPersistence());
        plain.setCallback(new Counting(plainReceived, readings));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        plain.connect(options);
        plain.subscribe("Bench/Plain/+", 1);
        // a warm-up as long as a measured run: this JVM's JIT compiles the plain clients meanwhile (38% of
        // a core during a shorter one)
        LiveIngest.run(broker, "Bench/Plain/", messages, readings, publishers, plainReceived::get, 2);

        AtomicLong hiveReceived = new AtomicLong();
        URI uri = URI.create(broker);
        Mqtt5AsyncClient hive = Mqtt5Client.builder()
                .identifier("bench-plain-hivemq-subscriber")
                .serverHost(uri.getHost())
                .serverPort(uri.getPort())
                .buildAsync();
        hive.publishes(
                MqttGlobalPublishFilter.ALL,
                publish -> {
                    hiveReceived.addAndGet(readings);
                    publish.acknowledge();
                },
                true);
        hive.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().join();
        hive.subscribeWith()
                .topicFilter("Bench/Hive/+")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .join();
        LiveIngest.run(broker, "Bench/Hive/", messages, readings, publishers, hiveReceived::get, 2);

        // rounds of plain Paho, plain HiveMQ client, twinflow, one after the other (-Dbench.rounds, 3):
        // the machine's pace drifts within minutes, so each round's three runs see the same machine, and
        // the medians are compared; each round starts once the background has caught up
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<LiveIngest.Result> plainRuns = new ArrayList<>();
        List<LiveIngest.Result> hiveRuns = new ArrayList<>();
        List<LiveIngest.Result> twinflowRuns = new ArrayList<>();
        Map<String, Long> maxLag = new LinkedHashMap<>();
        String plainShares = "";
        String twinflowShares = "";
        try (kafka) {
            for (int round = 1; round <= rounds; round++) {
                if (round > 1) {
                    settle(kafka);
                }
                CpuShares plainCpu = CpuShares.start();
                plainRuns.add(
                        LiveIngest.run(broker, "Bench/Plain/", messages, readings, publishers, plainReceived::get, 2));
                plainShares = plainCpu.report(8);
                hiveRuns.add(
                        LiveIngest.run(broker, "Bench/Hive/", messages, readings, publishers, hiveReceived::get, 2));
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
                sampler.scheduleAtFixedRate(
                        () -> {
                            try {
                                kafka.lags(GROUPS).forEach((g, lag) -> maxLag.merge(g, lag, Math::max));
                            } catch (Exception e) {
                                System.out.println("lag sample failed: " + e);
                            }
                        },
                        200,
                        200,
                        TimeUnit.MILLISECONDS);
                System.out.println(name + ": measuring twinflow, round " + round);
                CpuShares twinflowCpu = CpuShares.start();
                twinflowRuns.add(
                        LiveIngest.run(broker, "Query/Response/", messages, readings, publishers, counted, 10));
                twinflowShares = twinflowCpu.report(16);
                sampler.shutdown();
                sampler.awaitTermination(10, TimeUnit.SECONDS);
                LiveIngest.Result p = plainRuns.get(round - 1);
                LiveIngest.Result h = hiveRuns.get(round - 1);
                LiveIngest.Result t = twinflowRuns.get(round - 1);
                System.out.printf(
                        "%-9s round %d: plain Paho %,.0f, plain HiveMQ client %,.0f, twinflow %,.0f msgs/s: ratio %.2f / %.2f%n",
                        name,
                        round,
                        p.messagesPerSecond(),
                        h.messagesPerSecond(),
                        t.messagesPerSecond(),
                        t.readingsPerSecond() / p.readingsPerSecond(),
                        t.readingsPerSecond() / h.readingsPerSecond());
            }
            // the broker by itself once twinflow's background has caught up with the last round: the
            // embedded broker shares twinflow's JVM, and the MySQL sink's catch-up took 40% of a core
            settle(kafka);
        }
        plain.disconnect();
        plain.close();
        hive.disconnect().join();
        String brokerAlone = brokerAlone(name, broker, messages, readings, publishers);
        redis.close();
        redisClient.shutdown();
        app.close();

        LiveIngest.Result baseline = median(plainRuns);
        LiveIngest.Result hiveBaseline = median(hiveRuns);
        LiveIngest.Result twinflow = median(twinflowRuns);
        // each round's ratio is of two runs a few seconds apart; the median of those is the figure
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            ratios.add(
                    twinflowRuns.get(i).readingsPerSecond() / plainRuns.get(i).readingsPerSecond());
        }
        String perRound = ratios.stream().map(r -> String.format("%.2f", r)).collect(Collectors.joining(", "));
        double medianRatio = ratios.stream().sorted().toList().get(rounds / 2);
        Map<String, String> out = new LinkedHashMap<>();
        out.put(name + "-plain", row(name, "plain Paho v5 subscriber", baseline));
        out.put(name + "-hivemq", row(name, "plain HiveMQ client subscr.", hiveBaseline));
        out.put(name + "-twinflow", row(name, "twinflow MQTT->Kafka->Redis", twinflow));
        out.put(
                name + "-ratio",
                String.format(
                        "%-9s ratio twinflow / plain Paho: %.2f (median of %d rounds: %s), / plain HiveMQ client: %.2f (medians); lag (max uncommitted records) %s",
                        name,
                        medianRatio,
                        rounds,
                        perRound,
                        twinflow.readingsPerSecond() / hiveBaseline.readingsPerSecond(),
                        maxLag));
        out.put(name + "-alone", brokerAlone);
        out.put(name + "-cpu-plain", name + " CPU during the last plain Paho run: " + plainShares);
        out.put(name + "-cpu-twinflow", name + " CPU during twinflow's last run: " + twinflowShares);
        System.out.println(out.get(name + "-plain"));
        System.out.println(out.get(name + "-hivemq"));
        System.out.println(out.get(name + "-twinflow"));
        System.out.println(out.get(name + "-ratio"));
        System.out.println(out.get(name + "-alone"));
        return out;
    }

    /**
     * The broker by itself: the publishers' rate with nobody subscribed, and how fast it delivers a
     * backlog of {@code messages} queued for a persistent session that was away (a plain HiveMQ client,
     * manual acks, reconnecting), from its connect until the last message.
     */
    static String brokerAlone(String name, String broker, int messages, int readings, int publishers) throws Exception {
        double alone = messages / LiveIngest.publish(broker, "Bench/Nobody/", messages, readings, publishers);
        URI uri = URI.create(broker);
        AtomicLong received = new AtomicLong();
        Supplier<Mqtt5AsyncClient> client = () -> Mqtt5Client.builder()
                .identifier("bench-backlog-subscriber")
                .serverHost(uri.getHost())
                .serverPort(uri.getPort())
                .buildAsync();
        Mqtt5AsyncClient away = client.get();
        away.connectWith().cleanStart(true).sessionExpiryInterval(3600).send().join();
        away.subscribeWith()
                .topicFilter("Bench/Backlog/+")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .join();
        away.disconnect().join();
        double queued = messages / LiveIngest.publish(broker, "Bench/Backlog/", messages, readings, publishers);
        Mqtt5AsyncClient back = client.get();
        back.publishes(
                MqttGlobalPublishFilter.ALL,
                publish -> {
                    received.incrementAndGet();
                    publish.acknowledge();
                },
                true);
        long start = System.nanoTime();
        back.connectWith().cleanStart(false).sessionExpiryInterval(0).send().join();
        long deadline = start + TimeUnit.MINUTES.toNanos(3);
        while (received.get() < messages && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        double drained = received.get() / ((System.nanoTime() - start) / 1e9);
        back.disconnect().join();
        return String.format(
                "%-9s broker alone: publishers %,.0f msgs/s with no subscriber, %,.0f msgs/s into a queue; the"
                        + " queued backlog (%,d of %,d) delivered at %,.0f msgs/s to a plain HiveMQ client",
                name, alone, queued, received.get(), messages, drained);
    }

    /**
     * Waits (at most 5 minutes) until the latest values and the MySQL sink have committed all of
     * machine_data and the export's uncommitted count stands still for 3 s: the export commits the
     * offsets of a published file with its next batch, so an idle export keeps its last files' records
     * uncommitted (they are not exported twice on a re-read: the published offsets are kept with the files).
     */
    static void settle(SinksKafka kafka) throws Exception {
        long start = System.nanoTime();
        Map<String, Long> lags = kafka.lags(GROUPS);
        long export = -1;
        long exportSince = System.nanoTime();
        while (System.nanoTime() - start < TimeUnit.MINUTES.toNanos(5)) {
            long now = lags.get("machine_data_export");
            if (now != export) {
                export = now;
                exportSince = System.nanoTime();
            }
            boolean caughtUp = lags.get("machine_latest_values") == 0 && lags.get("machine_data_mysql") == 0;
            if (caughtUp && System.nanoTime() - exportSince > TimeUnit.SECONDS.toNanos(3)) {
                break;
            }
            Thread.sleep(500);
            lags = kafka.lags(GROUPS);
        }
        System.out.printf("background settled after %.1f s: uncommitted %s%n", (System.nanoTime() - start) / 1e9, lags);
    }

    /** The non-blank entries of system property {@code name}, ';' between them. */
    static List<String> listProperty(String name) {
        return Arrays.stream(System.getProperty(name, "").split(";"))
                .map(String::trim)
                .filter(e -> !e.isEmpty())
                .toList();
    }

    /** The run of median rate (the upper one of an even count). */
    static LiveIngest.Result median(List<LiveIngest.Result> runs) {
        List<LiveIngest.Result> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(LiveIngest.Result::readingsPerSecond));
        return sorted.get(sorted.size() / 2);
    }

    static String row(String broker, String who, LiveIngest.Result r) {
        return String.format(
                "%-9s %-28s %,9.0f readings/s = %,7.0f msgs/s (%.2f s), publishers %,7.0f msgs/s, latency p50 %,.1f ms p99 %,.1f ms",
                broker,
                who,
                r.readingsPerSecond(),
                r.messagesPerSecond(),
                r.seconds(),
                r.publishesPerSecond(),
                r.p50Micros() / 1000.0,
                r.p99Micros() / 1000.0);
    }

    /** Counts the readings of each message it receives (the payloads all carry the same number). */
    private record Counting(AtomicLong received, int readings) implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.addAndGet(readings);
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {}

        @Override
        public void mqttErrorOccurred(MqttException exception) {}

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }
}
