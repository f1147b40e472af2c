package dev.twinflow.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.AppIT;
import dev.twinflow.TestHttp;
import dev.twinflow.telemetry.proto.Ack;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Seed 002 against the real gRPC server and the real (embedded) redis-server. Over 200 lines: one class
 * for the flow's cases, so they share one boot of the app.
 */
class TelemetryIngestIT extends AppIT {

    @Value("${twinflow.grpc.port}")
    int grpcPort;

    @Autowired
    StringRedisTemplate redis;

    TestHttp http;

    @BeforeEach
    void clean() {
        redis.delete("device_metrics");
        http = new TestHttp(httpPort);
    }

    @Test
    void theSeedsSendOnceFlowCountsTenPacketsForSensor1() throws Exception {
        try (TelemetryClient client = new TelemetryClient(grpcPort)) {
            Ack ack = client.stream(10, i -> TelemetryClient.packet("sensor-1", "abcd".getBytes()))
                    .get(30, TimeUnit.SECONDS);
            assertThat(ack.getOk()).isTrue();
        }
        // counted before the Ack: no waiting needed
        JsonNode metrics = http.get("/metrics").json();
        assertThat(metrics.toString()).isEqualTo("[{\"device_id\":\"sensor-1\",\"count\":10}]");
        assertThat(http.get("/metrics/sensor-1").json().get("count").asLong()).isEqualTo(10);
        assertThat(http.get("/metrics/sensor-404").status()).isEqualTo(404);
    }

    @Autowired
    TelemetryProperties properties;

    @Test
    void aFlushThatReachesRedisTwiceIsCountedOnce() {
        // what Lettuce does when a connection drops between a call and its answer: sends it again
        DeviceCounters writer = new DeviceCounters(redis, properties);
        assertThat(writer.apply(1, Map.of("resent-1", 15L))).isTrue();
        assertThat(writer.apply(1, Map.of("resent-1", 15L))).isFalse();
        assertThat(writer.apply(2, Map.of("resent-1", 5L, "resent-2", 1L))).isTrue();
        // a stale call re-sent after a later flush landed is not applied either
        assertThat(writer.apply(1, Map.of("resent-1", 15L))).isFalse();
        assertThat(writer.of("resent-1")).isEqualTo(20L);
        assertThat(writer.of("resent-2")).isEqualTo(1L);
        // another writer (another instance) has its own sequence
        DeviceCounters other = new DeviceCounters(redis, properties);
        assertThat(other.apply(1, Map.of("resent-1", 1L))).isTrue();
        assertThat(writer.of("resent-1")).isEqualTo(21L);
    }

    @Autowired
    dev.twinflow.embedded.KafkaEngine kafka;

    @Test
    void countedPacketsArePublishedToTheTelemetryTopicKeyedByDevice() throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        List<dev.twinflow.telemetry.proto.Packet> seen = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                p,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            // start reading at the current end, whatever other tests published before
            var partitions = consumer.partitionsFor("telemetry").stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            try (TelemetryClient client = new TelemetryClient(grpcPort)) {
                client.stream(7, i -> TelemetryClient.packet("published-1", new byte[] {(byte) i}))
                        .get(30, TimeUnit.SECONDS);
            }
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> {
                        for (var r : consumer.poll(java.time.Duration.ofMillis(300))) {
                            if ("published-1".equals(r.key())) {
                                seen.add(dev.twinflow.telemetry.proto.Packet.parseFrom(r.value()));
                            }
                        }
                        return seen.size() >= 7;
                    });
        }
        assertThat(seen).hasSize(7).allMatch(pk -> pk.getDeviceId().equals("published-1"));
        assertThat(seen.stream()
                        .map(pk -> (int) pk.getPayload().byteAt(0))
                        .sorted()
                        .toList())
                .containsExactly(0, 1, 2, 3, 4, 5, 6);
    }

    @Test
    void thirtyTwoConcurrentStreamsOfTenThousandPacketsCountExactly() throws Exception {
        Map<String, Long> expected = new HashMap<>();
        List<CompletableFuture<Ack>> acks = new ArrayList<>();
        try (TelemetryClient client = new TelemetryClient(grpcPort)) {
            for (int s = 0; s < 32; s++) {
                int stream = s;
                for (int i = 0; i < 10_000; i++) {
                    expected.merge(device(stream, i), 1L, Long::sum);
                }
                acks.add(client.stream(10_000, i -> TelemetryClient.packet(device(stream, i), new byte[16])));
            }
            for (CompletableFuture<Ack> ack : acks) {
                assertThat(ack.get(2, TimeUnit.MINUTES).getOk()).isTrue();
            }
        }
        Map<String, Long> counted = new HashMap<>();
        http.get("/metrics")
                .json()
                .forEach(m ->
                        counted.put(m.get("device_id").asText(), m.get("count").asLong()));
        assertThat(counted).hasSize(100).isEqualTo(expected);
        assertThat(counted.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(320_000);
        List<String> order = new ArrayList<>();
        http.get("/metrics").json().forEach(m -> order.add(m.get("device_id").asText()));
        assertThat(order).isSorted();
    }

    private static String device(int stream, int i) {
        return String.format("device-%03d", (stream * 7 + i) % 100);
    }

    @Test
    void anEmptyDeviceIdIsRefusedWithInvalidArgumentNamingTheField() throws Exception {
        try (TelemetryClient client = new TelemetryClient(grpcPort)) {
            Status status = assertStatus(
                    client.stream(5, i -> TelemetryClient.packet(i == 3 ? "" : "dev-x", new byte[1])),
                    Status.Code.INVALID_ARGUMENT,
                    "device_id");
            assertAccountHolds(status, "dev-x", 3);
        }
    }

    @Test
    void aPayloadOverTheLimitIsRefusedWithInvalidArgument() throws Exception {
        try (TelemetryClient client = new TelemetryClient(grpcPort)) {
            Status status = assertStatus(
                    client.stream(2, i -> TelemetryClient.packet("dev-big", new byte[i == 1 ? 65 * 1024 : 10])),
                    Status.Code.INVALID_ARGUMENT,
                    "max-payload-size");
            assertAccountHolds(status, "dev-big", 1);
            // the stream is refused, the service is not: the next stream is answered
            assertThat(client.stream(3, i -> TelemetryClient.packet("dev-ok", new byte[10]))
                            .get(30, TimeUnit.SECONDS)
                            .getOk())
                    .isTrue();
        }
        assertThat(http.get("/metrics/dev-ok").json().get("count").asLong()).isEqualTo(3);
    }

    private static final Pattern ACCOUNT = Pattern.compile(
            "(\\d+) earlier packets of this stream were counted, (\\d+) more are being written to Redis,"
                    + " (\\d+) were dropped \\((\\d+) received\\)");

    /**
     * A refusal says how many of the stream's good packets were counted, are being written and were
     * dropped: they add up to what was sent before the bad packet, and Redis ends at counted + written.
     */
    private void assertAccountHolds(Status status, String device, long goodPacketsSent) {
        Matcher m = ACCOUNT.matcher(status.getDescription());
        assertThat(m.find()).as(status.getDescription()).isTrue();
        long counted = Long.parseLong(m.group(1));
        long writing = Long.parseLong(m.group(2));
        long dropped = Long.parseLong(m.group(3));
        assertThat(Long.parseLong(m.group(4))).isEqualTo(goodPacketsSent);
        assertThat(counted + writing + dropped).isEqualTo(goodPacketsSent);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(http.get("/metrics/" + device)
                                .json()
                                .path("count")
                                .asLong())
                        .isEqualTo(counted + writing));
        // and stays there: the dropped packets never arrive later
        assertThat(http.get("/metrics/" + device).json().path("count").asLong()).isEqualTo(counted + writing);
    }

    private static Status assertStatus(CompletableFuture<Ack> answer, Status.Code code, String mentions) {
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> answer.get(30, TimeUnit.SECONDS));
        assertThat(failed.getCause()).isInstanceOf(StatusRuntimeException.class);
        Status status = ((StatusRuntimeException) failed.getCause()).getStatus();
        assertThat(status.getCode()).isEqualTo(code);
        assertThat(status.getDescription()).contains(mentions);
        return status;
    }
}
