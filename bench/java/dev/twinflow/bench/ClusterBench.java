package dev.twinflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twinflow.ChildApp;
import dev.twinflow.cluster.Cluster;
import dev.twinflow.cluster.MachineLoad;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Twinflow replicas (child JVMs) on shared engines started here (KRaft Kafka, redis-server, HiveMQ CE
 * embedded, a folder as the file system), one shared MQTT subscription, in one run: (a) readings/s of
 * one replica ingesting N MQTT 5 messages while they are published (4 publishers, QoS 1; done when
 * Redis {@code machine_readings} has counted them all), (b) the same with two replicas, and the ratio;
 * (c) kill -9 of one of two replicas under a steady load (half the rate two replicas sustained): the
 * publish → ingest delay (reading {@code ts} on Kafka minus the {@code sent_at} in the payload) of the
 * messages published after the kill, how many arrived late (> 1 s) or never; on the embedded broker,
 * then on this machine's Mosquitto at 127.0.0.1:1883 when it is reachable.
 *
 * <pre>bench/cluster/run.sh [messages=10000] [readings-per-message=10]</pre>
 */
public final class ClusterBench {

    static final String MOSQUITTO = "tcp://127.0.0.1:1883";
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int readings = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.printf(
                "%,d MQTT messages x %d readings, QoS 1, %d cores%n",
                messages, readings, Runtime.getRuntime().availableProcessors());
        long began = System.nanoTime();
        Path dir = Files.createTempDirectory("twinflow-cluster-bench");
        List<String> out = new ArrayList<>();
        try (Cluster cluster = Cluster.start(dir, List.of());
                RedisClient redisClient = RedisClient.create(cluster.redisUrl());
                StatefulRedisConnection<String, String> redis = redisClient.connect()) {
            LongSupplier counted = () -> redis.sync().hvals("machine_readings").stream()
                    .mapToLong(Long::parseLong)
                    .sum();
            ChildApp a = cluster.startReplica("A");
            LiveIngest.Result one = ingest(cluster.mqttUrl(), messages, readings, counted);
            ChildApp b = cluster.startReplica("B");
            LiveIngest.Result two = ingest(cluster.mqttUrl(), messages, readings, counted);
            out.add(String.format(
                    "(a) one replica                 %,10.0f readings/s  (%,d in %.2f s)",
                    one.readingsPerSecond(), one.messages() * one.readings(), one.seconds()));
            out.add(String.format(
                    "(b) two replicas, shared sub    %,10.0f readings/s  (%,d in %.2f s)",
                    two.readingsPerSecond(), two.messages() * two.readings(), two.seconds()));
            out.add(String.format("    ratio two / one: %.2f", two.readingsPerSecond() / one.readingsPerSecond()));
            out.forEach(System.out::println);

            int rate = (int) Math.max(50, two.readingsPerSecond() / readings / 2);
            out.add(stall("embedded HiveMQ CE", cluster, cluster.mqttUrl(), "stall-hive-", rate, readings, b));
            System.out.println(out.get(out.size() - 1));
            a.close();
            if (reachable()) {
                CompletableFuture<ChildApp> starting = CompletableFuture.supplyAsync(() -> start(cluster, "MA"));
                ChildApp mb = start(cluster, "MB");
                ChildApp ma = starting.join();
                out.add(stall("Mosquitto 127.0.0.1:1883", cluster, MOSQUITTO, "stall-mosq-", rate, readings, mb));
                ma.close();
            } else {
                out.add("(c) Mosquitto: nothing listens on 127.0.0.1:1883, skipped");
            }
        }
        System.out.println("---");
        out.forEach(System.out::println);
        System.out.printf("(%.0f s)%n", (System.nanoTime() - began) / 1e9);
        System.exit(0);
    }

    static ChildApp start(Cluster cluster, String node) {
        try {
            return cluster.startReplica(node, MOSQUITTO);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A warm-up of a tenth, then {@code messages} published by 4 clients while the replicas ingest them. */
    static LiveIngest.Result ingest(String broker, int messages, int readings, LongSupplier counted) throws Exception {
        LiveIngest.Result result = null;
        for (int n : new int[] {messages / 10, messages}) {
            result = LiveIngest.run(broker, "Query/Response/", n, readings, 4, counted, 10);
        }
        return result;
    }

    /**
     * Publishes {@code rate} messages/s, kills {@code victim} 5 s in, publishes 10 s more, then waits (up to
     * 10 s, twice the session expiry) for every message on Kafka {@code machine_data}.
     */
    static String stall(
            String broker, Cluster cluster, String url, String prefix, int rate, int readings, ChildApp victim)
            throws Exception {
        Map<String, Long> delays = new ConcurrentHashMap<>();
        try (Tail tail = new Tail(cluster.kafkaBootstrap(), prefix, delays);
                MachineLoad load = MachineLoad.start(url, prefix, 20, readings, rate)) {
            await(load, 5L * rate);
            long firstAfterKill = load.published();
            victim.kill();
            await(load, 10L * rate);
            long published = load.stop();
            try {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> delays.size() >= published);
            } catch (ConditionTimeoutException e) {
                // reported below as never arrived
            }
            List<Long> after = new ArrayList<>();
            long never = 0;
            for (long i = firstAfterKill; i < published; i++) {
                Long d = delays.get(load.device(i) + "/" + load.seq(i));
                if (d == null) {
                    never++;
                } else {
                    after.add(d);
                }
            }
            long neverBefore = 0;
            for (long i = 0; i < firstAfterKill; i++) {
                neverBefore += delays.containsKey(load.device(i) + "/" + load.seq(i)) ? 0 : 1;
            }
            after.sort(null);
            return String.format(
                    "(c) kill -9 of one of two, %s, %d msg/s: %,d published after the kill: max delay %,d ms, p99 %,d ms,"
                            + " p50 %,d ms; late (> 1 s) %,d, never %,d (before the kill: never %,d of %,d)",
                    broker,
                    rate,
                    published - firstAfterKill,
                    after.isEmpty() ? 0 : after.get(after.size() - 1),
                    percentile(after, 0.99),
                    percentile(after, 0.50),
                    after.stream().filter(d -> d > 1000).count(),
                    never,
                    neverBefore,
                    firstAfterKill);
        }
    }

    static void await(MachineLoad load, long more) {
        long target = load.acked() + more;
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> load.acked() >= target);
    }

    static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }

    static boolean reachable() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 1883), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads {@code machine_data} from its end: per message of {@code prefix} devices, ts - sent_at (first copy). */
    static final class Tail implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Tail(String bootstrap, String prefix, Map<String, Long> delays) {
            consumer = new KafkaConsumer<>(
                    Map.of("bootstrap.servers", bootstrap),
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor("machine_data").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread = new Thread(() -> {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        if (r.key() != null && r.key().startsWith(prefix)) {
                            record(r.key(), r.value(), delays);
                        }
                    }
                }
                consumer.close();
            });
            thread.start();
        }

        private static void record(String device, byte[] value, Map<String, Long> delays) {
            try {
                long seq = -1, sentAt = -1, ts = -1;
                for (JsonNode reading : JSON.readTree(value)) {
                    switch (reading.get("data_id").asText()) {
                        case "seq" -> seq = reading.get("value").asLong();
                        case "sent_at" -> sentAt = reading.get("value").asLong();
                        default -> {}
                    }
                    ts = reading.get("ts").asLong();
                }
                delays.putIfAbsent(device + "/" + seq, ts - sentAt);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
