package dev.twinflow.bench;

import dev.twinflow.system.Ports;
import dev.twinflow.telemetry.proto.Ack;
import dev.twinflow.telemetry.proto.Packet;
import dev.twinflow.telemetry.proto.TelemetryIngestGrpc;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Packets/s through twinflow's telemetry ingest (camel-grpc → exact counts in Redis, Ack after they
 * are written, batches to Kafka) against a plain grpc-java server of the same proto that only counts
 * in memory; same load client, same run. Prints both, the ratio, and whether /metrics is exact.
 *
 * <pre>bench/telemetry/run.sh [streams] [packets-per-stream] [devices]</pre>
 */
public final class TelemetryBench {

    /** The baseline: the same service, counting in a map and nothing else. */
    static final class InMemoryIngest extends TelemetryIngestGrpc.TelemetryIngestImplBase {
        final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        @Override
        public StreamObserver<Packet> streamPackets(StreamObserver<Ack> responses) {
            return new StreamObserver<>() {
                @Override
                public void onNext(Packet p) {
                    counts.computeIfAbsent(p.getDeviceId(), d -> new LongAdder())
                            .increment();
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {
                    responses.onNext(Ack.newBuilder().setOk(true).build());
                    responses.onCompleted();
                }
            };
        }
    }

    public static void main(String[] args) throws Exception {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int packets = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int devices = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        System.out.printf(
                "%d streams x %d packets over %d devices, %d cores%n",
                streams, packets, devices, Runtime.getRuntime().availableProcessors());

        int plainPort = Ports.free();
        InMemoryIngest plain = new InMemoryIngest();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", plainPort))
                .addService(plain)
                .build()
                .start();
        TelemetryLoad.run("127.0.0.1", plainPort, streams, packets / 4, devices); // JIT warm-up
        TelemetryLoad.Result baseline = TelemetryLoad.run("127.0.0.1", plainPort, streams, packets, devices);
        server.shutdownNow().awaitTermination();

        int grpcPort = Ports.free();
        ConfigurableApplicationContext app = BenchApp.start("--twinflow.grpc.port=" + grpcPort);
        String metrics = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + "/metrics";
        TelemetryLoad.run("127.0.0.1", grpcPort, streams, packets / 4, devices); // JIT warm-up
        app.getBean(org.springframework.data.redis.core.StringRedisTemplate.class)
                .delete("device_metrics");
        TelemetryLoad.Result twinflow = TelemetryLoad.run("127.0.0.1", grpcPort, streams, packets, devices);
        Map<String, String> wrong = TelemetryLoad.mismatches(metrics, twinflow.expected());
        app.close();

        System.out.printf(
                "plain grpc-java, in-memory count   %,12.0f packets/s  (%,d in %.2f s)%n",
                baseline.packetsPerSecond(), baseline.packets(), baseline.seconds());
        System.out.printf(
                "twinflow (camel-grpc -> Redis+Kafka) %,12.0f packets/s  (%,d in %.2f s, %d streams failed)%n",
                twinflow.packetsPerSecond(), twinflow.packets(), twinflow.seconds(), twinflow.failedStreams());
        System.out.printf("ratio twinflow / plain: %.2f%n", twinflow.packetsPerSecond() / baseline.packetsPerSecond());
        System.out.println(
                wrong.isEmpty() ? "/metrics after the run: every count exact" : "/metrics MISMATCH: " + wrong);
        System.exit(0);
    }
}
