package dev.twinflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.embedded.RedisEngine;
import dev.twinflow.system.Ports;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import redis.embedded.RedisServer;

/** The audit's shared state on a real redis-server: two writers add up, a flush applies once. */
class AuditStoreIT {

    static RedisServer server;
    static LettuceConnectionFactory factory;
    static StringRedisTemplate redis;

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

    static AuditDeltas received(String run, String source, long... seqs) {
        AuditDeltas d = new AuditDeltas();
        for (long seq : seqs) {
            d.received(new Tracked(run, source, seq), 5, 1_795_000_000_000L);
        }
        return d;
    }

    @Test
    void twoNodesReceivingPartsOfARunReportTheWholeRunFromEitherNode() {
        AuditStore a = new AuditStore(redis);
        AuditStore b = new AuditStore(redis);
        AuditDeltas sent = new AuditDeltas();
        sent.sent("r1", "dev-1:x", 6, 6);
        a.apply(a.prepare(sent), "log-a");
        a.apply(a.prepare(received("r1", "dev-1:x", 1, 2, 3)), "log-a");
        b.apply(b.prepare(received("r1", "dev-1:x", 4, 6, 3)), "log-b");

        Map<String, SourceAudit> viewA = a.read("r1", true).get("r1");
        Map<String, SourceAudit> viewB = b.read(null, true).get("r1");
        for (Map<String, SourceAudit> view : java.util.List.of(viewA, viewB)) {
            SourceAudit s = view.get("dev-1:x");
            assertThat(s.sent).isEqualTo(6);
            assertThat(s.received).isEqualTo(5);
            assertThat(s.duplicates).isEqualTo(1);
            assertThat(s.missing()).isEqualTo(1);
            assertThat(s.toJson("dev-1:x").get("missing_ranges").toString()).isEqualTo("[[5,5]]");
        }
    }

    @Test
    void aFlushSentTwiceIsAppliedOnceAndMovesTheLogMarker() {
        AuditStore a = new AuditStore(redis);
        AuditDeltas d = received("r2", "s", 1, 2);
        d.reaches(42);
        AuditStore.Flush flush = a.prepare(d);
        a.apply(flush, "log-c");
        a.apply(flush, "log-c"); // a retry, or Lettuce re-sending after a reconnect
        SourceAudit s = a.read("r2", true).get("r2").get("s");
        assertThat(s.received).isEqualTo(2);
        assertThat(s.duplicates).isZero();
        assertThat(a.logNext("log-c")).isEqualTo(42);
        assertThat(a.logNext("log-unknown")).isZero();
        // a later flush of the same writer still applies
        a.apply(a.prepare(received("r2", "s", 2, 3)), "log-c");
        s = a.read("r2", true).get("r2").get("s");
        assertThat(s.received).isEqualTo(3);
        assertThat(s.duplicates).isEqualTo(1);
        assertThat(a.logNext("log-c")).isEqualTo(42);
    }

    @Test
    void runsAndSourcesWhoseNamesShareAPrefixStayApart() {
        AuditStore a = new AuditStore(redis);
        a.apply(a.prepare(received("a", "b:c", 1)), "log-d");
        a.apply(a.prepare(received("a:b", "c", 1, 2)), "log-d");
        assertThat(a.read("a", true).get("a").get("b:c").received).isEqualTo(1);
        assertThat(a.read("a:b", true).get("a:b").get("c").received).isEqualTo(2);
    }
}
