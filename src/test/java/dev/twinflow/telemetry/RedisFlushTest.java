package dev.twinflow.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.telemetry.proto.Ack;
import dev.twinflow.telemetry.proto.Packet;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.unit.DataSize;

/** A flush without Redis: what is written, who is answered, and what goes on to Kafka. */
class RedisFlushTest {

    /** Counters that record every flush instead of writing, or fail like a Redis that went away. */
    static final class FakeCounters extends DeviceCounters {
        final List<Map<String, Long>> calls = new ArrayList<>();
        RuntimeException failure;

        FakeCounters() {
            super(
                    new StringRedisTemplate(),
                    new TelemetryProperties(
                            Duration.ofMillis(100), DataSize.ofKilobytes(64), 100, "device_metrics", 8, false));
        }

        @Override
        public void add(Map<String, Long> deltas) {
            if (failure != null) {
                throw failure;
            }
            calls.add(Map.copyOf(deltas));
        }
    }

    /** The server's side of a call: what the client would receive. */
    static final class Answers implements StreamObserver<Ack> {
        final List<Ack> acks = new ArrayList<>();
        Throwable error;
        boolean completed;

        @Override
        public void onNext(Ack value) {
            acks.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
            completed = true;
        }
    }

    private final FakeCounters counters = new FakeCounters();
    private final OpenStreams streams = new OpenStreams();
    private final RedisFlush flush = new RedisFlush(counters, streams);

    private static Packet packet(String device) {
        return TelemetryClient.packet(device, new byte[2]);
    }

    private TelemetryStream stream(Answers answers, String... devices) throws InterruptedException {
        TelemetryStream stream = streams.of(answers, 100);
        for (String device : devices) {
            stream.add(packet(device), () -> {});
        }
        return stream;
    }

    @Test
    void oneCallForAllStreamsAndAnAckOnlyForTheStreamThatEnded() throws Exception {
        Answers ended = new Answers();
        Answers going = new Answers();
        stream(ended, "dev-a", "dev-a", "dev-b").end();
        stream(going, "dev-a", "dev-c");

        List<Packet> counted = flush.flush();

        assertThat(counters.calls).containsExactly(Map.of("dev-a", 3L, "dev-b", 1L, "dev-c", 1L));
        assertThat(counted)
                .extracting(Packet::getDeviceId)
                .containsExactlyInAnyOrder("dev-a", "dev-a", "dev-b", "dev-a", "dev-c");
        assertThat(flush.packetsCounted()).isEqualTo(5);
        assertThat(ended.acks).extracting(Ack::getOk).containsExactly(true);
        assertThat(ended.completed).isTrue();
        assertThat(going.acks).isEmpty();
        assertThat(going.completed).isFalse();
        assertThat(going.error).isNull();
    }

    @Test
    void aFlushRedisDoesNotConfirmFailsItsStreamsAndPublishesNothing() throws Exception {
        Answers answers = new Answers();
        TelemetryStream stream = stream(answers, "dev-a", "dev-a");
        assertThat(flush.flush()).hasSize(2);
        stream.add(packet("dev-a"), () -> {});
        stream.end();
        counters.failure = new IllegalStateException("connection refused");

        assertThat(flush.flush()).isEmpty();

        assertThat(answers.acks).isEmpty();
        Status status = Status.fromThrowable(answers.error);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription())
                .contains("2 packets of this stream are counted, the next 1 may or may not be");
        assertThat(flush.packetsCounted()).isEqualTo(2);
    }

    @Test
    void nothingNewIsNoRedisCall() {
        assertThat(flush.flush()).isEmpty();
        assertThat(counters.calls).isEmpty();
    }
}
