package dev.twinflow.telemetry;

import com.google.protobuf.ByteString;
import dev.twinflow.telemetry.proto.Ack;
import dev.twinflow.telemetry.proto.Packet;
import dev.twinflow.telemetry.proto.TelemetryIngestGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** A real gRPC client of TelemetryIngest, as a device would use it. */
final class TelemetryClient implements AutoCloseable {

    private final ManagedChannel channel;
    private final TelemetryIngestGrpc.TelemetryIngestStub stub;

    TelemetryClient(int port) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .build();
        stub = TelemetryIngestGrpc.newStub(channel);
    }

    static Packet packet(String device, byte[] payload) {
        return Packet.newBuilder()
                .setDeviceId(device)
                .setTimestamp(System.currentTimeMillis() / 1000)
                .setPayload(ByteString.copyFrom(payload))
                .build();
    }

    /** Streams {@code n} packets and completes with the server's Ack, or fails with its status. */
    CompletableFuture<Ack> stream(int n, IntFunction<Packet> packets) {
        AckObserver observer = new AckObserver();
        CompletableFuture<Ack> answer = observer.answer();
        StreamObserver<Packet> out = stub.streamPackets(observer);
        try {
            for (int i = 0; i < n && !answer.isDone(); i++) {
                out.onNext(packets.apply(i));
            }
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(Status.CANCELLED.withCause(e).asRuntimeException());
            answer.completeExceptionally(e);
        }
        return answer;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
