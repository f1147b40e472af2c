package dev.twinflow.bench;

import com.google.protobuf.ByteString;
import dev.twinflow.telemetry.AckObserver;
import dev.twinflow.telemetry.proto.Ack;
import dev.twinflow.telemetry.proto.Packet;
import dev.twinflow.telemetry.proto.TelemetryIngestGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load client of seed 002's TelemetryIngest: S concurrent client streams x P packets over D devices,
 * honouring gRPC flow control; prints packets/s and, given a /metrics URL, checks every count.
 *
 * <pre>bench/telemetry/load.sh [host:port] [streams] [packets] [devices] [metrics-url]</pre>
 */
public final class TelemetryLoad {

    /** Outcome of one load run. */
    public record Result(long packets, double seconds, int failedStreams, Map<String, Long> expected) {
        public double packetsPerSecond() {
            return packets / seconds;
        }
    }

    private TelemetryLoad() {}

    public static Result run(String host, int port, int streams, int packets, int devices) throws Exception {
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            TelemetryIngestGrpc.TelemetryIngestStub stub = TelemetryIngestGrpc.newStub(channel);
            Map<String, Long> expected = new HashMap<>();
            String[] names = new String[devices];
            for (int d = 0; d < devices; d++) {
                names[d] = String.format("device-%04d", d);
            }
            for (int s = 0; s < streams; s++) {
                for (int i = 0; i < packets; i++) {
                    expected.merge(names[(s + i) % devices], 1L, Long::sum);
                }
            }
            // packets are built up front, one per device, so the client spends its CPU on sending
            ByteString payload = ByteString.copyFrom(new byte[16]);
            long now = System.currentTimeMillis() / 1000;
            Packet[] prebuilt = new Packet[devices];
            for (int d = 0; d < devices; d++) {
                prebuilt[d] = Packet.newBuilder()
                        .setDeviceId(names[d])
                        .setTimestamp(now)
                        .setPayload(payload)
                        .build();
            }
            List<CompletableFuture<Ack>> acks = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int s = 0; s < streams; s++) {
                acks.add(stream(stub, s, packets, prebuilt));
            }
            int failed = 0;
            for (CompletableFuture<Ack> ack : acks) {
                try {
                    if (!ack.get(10, TimeUnit.MINUTES).getOk()) {
                        failed++;
                    }
                } catch (Exception e) {
                    failed++;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Result((long) streams * packets, seconds, failed, expected);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static CompletableFuture<Ack> stream(
            TelemetryIngestGrpc.TelemetryIngestStub stub, int s, int packets, Packet[] prebuilt) {
        // send while the transport has room: flow control instead of an unbounded buffer
        AckObserver observer = new AckObserver(out -> out.setOnReadyHandler(new Runnable() {
            private int sent;

            @Override
            public void run() {
                while (out.isReady() && sent < packets) {
                    out.onNext(prebuilt[(s + sent) % prebuilt.length]);
                    sent++;
                }
                if (sent == packets) {
                    sent++;
                    out.onCompleted();
                }
            }
        }));
        stub.streamPackets(observer);
        return observer.answer();
    }

    /** Reads {@code /metrics} and returns the devices whose count differs from {@code expected}. */
    public static Map<String, String> mismatches(String metricsUrl, Map<String, Long> expected) throws Exception {
        String body = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Map<String, Long> counted = new HashMap<>();
        Matcher m =
                Pattern.compile("\"device_id\":\"([^\"]+)\",\"count\":(\\d+)").matcher(body);
        while (m.find()) {
            counted.put(m.group(1), Long.parseLong(m.group(2)));
        }
        Map<String, String> wrong = new HashMap<>();
        expected.forEach((device, n) -> {
            if (!n.equals(counted.get(device))) {
                wrong.put(device, "expected " + n + ", counted " + counted.get(device));
            }
        });
        return wrong;
    }

    public static void main(String[] args) throws Exception {
        String target = args.length > 0 ? args[0] : "127.0.0.1:50051";
        int streams = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int packets = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int devices = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        String metrics = args.length > 4 ? args[4] : null;
        String[] hp = target.split(":");
        Result r = run(hp[0], Integer.parseInt(hp[1]), streams, packets, devices);
        System.out.printf(
                "%d streams x %d packets over %d devices: %,d packets in %.2f s = %,.0f packets/s, %d streams failed%n",
                streams, packets, devices, r.packets(), r.seconds(), r.packetsPerSecond(), r.failedStreams());
        if (metrics != null) {
            Map<String, String> wrong = mismatches(metrics, r.expected());
            System.out.println(
                    wrong.isEmpty()
                            ? "/metrics: every count exact (counts add up across runs only on an empty hash)"
                            : "/metrics: " + wrong.size() + " devices differ, e.g. "
                                    + wrong.entrySet().iterator().next());
        }
    }
}
