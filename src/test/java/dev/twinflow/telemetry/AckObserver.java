package dev.twinflow.telemetry;

import dev.twinflow.telemetry.proto.Ack;
import dev.twinflow.telemetry.proto.Packet;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The client's side of one {@code StreamPackets} call, shared by the tests and the load client:
 * {@link #answer()} completes with the server's Ack when the call ends, or with its error.
 */
public final class AckObserver implements ClientResponseObserver<Packet, Ack> {

    private final CompletableFuture<Ack> answer = new CompletableFuture<>();
    private final Consumer<ClientCallStreamObserver<Packet>> beforeStart;
    private volatile Ack ack;

    /** For a caller that sends its packets itself, through the observer the stub returns. */
    public AckObserver() {
        this(requests -> {});
    }

    /**
     * @param beforeStart given the call's request stream before it starts, e.g. to send from an
     *     on-ready handler (gRPC flow control)
     */
    public AckObserver(Consumer<ClientCallStreamObserver<Packet>> beforeStart) {
        this.beforeStart = beforeStart;
    }

    /** The server's Ack (null if it closed the call without one), or the call's error. */
    public CompletableFuture<Ack> answer() {
        return answer;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Packet> requests) {
        beforeStart.accept(requests);
    }

    @Override
    public void onNext(Ack value) {
        ack = value;
    }

    @Override
    public void onError(Throwable t) {
        answer.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        answer.complete(ack);
    }
}
