package dev.twinflow.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.embedded.RedisEngine;
import dev.twinflow.system.Ports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import redis.embedded.RedisServer;

/**
 * The latest values and readings counted, on a real redis-server: a record Kafka delivers again (a crash
 * before the commit, a rebalance) is counted once, also when another consumer had counted it.
 */
class MachineLatestIT {

    static RedisServer server;
    static LettuceConnectionFactory factory;
    static StringRedisTemplate redis;
    static final CamelContext CAMEL = new DefaultCamelContext();

    @TempDir
    static Path dir;

    @BeforeAll
    static void startRedis() throws Exception {
        int port = Ports.free();
        server = RedisEngine.startServer(dir, port, "everysec");
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        factory.afterPropertiesSet();
        factory.start();
        redis = new StringRedisTemplate(factory);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        factory.destroy();
        server.stop();
    }

    @BeforeEach
    void empty() {
        redis.getRequiredConnectionFactory().getConnection().serverCommands().flushAll();
    }

    /** Records {@code from..to} of partition {@code partition}, one reading each of device {@code m<partition>}. */
    static List<Exchange> records(int partition, long from, long to) {
        List<Exchange> batch = new ArrayList<>();
        LongStream.rangeClosed(from, to).forEach(offset -> {
            Exchange record = new DefaultExchange(CAMEL);
            record.getMessage().setHeader(KafkaConstants.TOPIC, "machine_data");
            record.getMessage().setHeader(KafkaConstants.PARTITION, partition);
            record.getMessage().setHeader(KafkaConstants.OFFSET, offset);
            record.getMessage().setBody(LatestBatchTest.record("m" + partition, "T", Long.toString(offset), offset));
            batch.add(record);
        });
        return batch;
    }

    static void store(MachineLatest latest, List<Exchange> batch) {
        latest.store(batch, new DefaultExchange(CAMEL));
    }

    static Object counted(String device) {
        return redis.opsForHash().get(MachineLatest.COUNTS, device);
    }

    @Test
    void aBatchReadAgainAfterACrashIsCountedOnce() {
        MachineLatest before = new MachineLatest(redis);
        store(before, records(0, 0, 4));
        store(before, records(1, 0, 2));

        // the node died before its commit: a new one reads from the last commit, further than before
        MachineLatest after = new MachineLatest(redis);
        List<Exchange> again = new ArrayList<>(records(0, 2, 7));
        again.addAll(records(1, 0, 2));
        store(after, again);

        assertThat(counted("m0")).isEqualTo("8");
        assertThat(counted("m1")).isEqualTo("3");
        assertThat(redis.opsForHash().get(MachineLatest.key("m0"), "T")).isEqualTo("7");
        assertThat(redis.opsForHash().entries(CountedOffsets.OFFSETS))
                .containsEntry("machine_data-0", "7")
                .containsEntry("machine_data-1", "2");
    }

    @Test
    void aConsumerThatLostItsPartitionForAWhileCountsOnlyWhatTheOtherDidNot() {
        MachineLatest a = new MachineLatest(redis);
        MachineLatest b = new MachineLatest(redis);
        store(a, records(0, 0, 9));
        // a rebalance: b takes the partition over from a's last commit (5) and counts further
        store(b, records(0, 5, 14));
        // a gets it back, still believing it counted up to 9: the offsets moved, it reads them again
        store(a, records(0, 10, 19));

        assertThat(counted("m0")).isEqualTo("20");
        assertThat(redis.opsForHash().get(CountedOffsets.OFFSETS, "machine_data-0"))
                .isEqualTo("19");
    }

    @Test
    void aBatchAllCountedBeforeChangesNothing() {
        MachineLatest latest = new MachineLatest(redis);
        store(latest, records(3, 0, 9));
        redis.opsForHash().put(MachineLatest.key("m3"), "T", "\"set since\"");

        store(new MachineLatest(redis), records(3, 0, 9));

        assertThat(counted("m3")).isEqualTo("10");
        assertThat(redis.opsForHash().get(MachineLatest.key("m3"), "T"))
                .as("an old record does not overwrite a newer value")
                .isEqualTo("\"set since\"");
    }

    @Test
    void recordsPolledAgainWithinOneBatchAreCountedOnce() {
        // Camel's batching consumer keeps what it polled until the batch is due; a rebalance in between
        // resets the positions to the last commit, so the same records are polled into the batch again
        List<Exchange> batch = new ArrayList<>(records(0, 10, 12));
        batch.addAll(records(1, 20, 21));
        batch.addAll(records(0, 10, 13));
        batch.addAll(records(1, 20, 22));

        store(new MachineLatest(redis), batch);

        assertThat(counted("m0")).isEqualTo("4");
        assertThat(counted("m1")).isEqualTo("3");
        assertThat(redis.opsForHash().entries(CountedOffsets.OFFSETS))
                .containsEntry("machine_data-0", "13")
                .containsEntry("machine_data-1", "22");
    }
}
