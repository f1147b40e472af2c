package dev.twinflow.telemetry;

import dev.twinflow.telemetry.proto.Ack;
import io.grpc.stub.StreamObserver;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The client streams known to the ingest, by their call's response observer, until their last event. */
@Component
class OpenStreams {

    private final Map<StreamObserver<?>, TelemetryStream> streams = new ConcurrentHashMap<>();

    /** The call's stream, started with room for {@code maxPending} unflushed packets if it is new. */
    TelemetryStream of(StreamObserver<Ack> observer, int maxPending) {
        return streams.computeIfAbsent(observer, o -> new TelemetryStream(observer, maxPending));
    }

    /** The call's stream, or null when it sent nothing yet. */
    TelemetryStream get(StreamObserver<?> observer) {
        return streams.get(observer);
    }

    Collection<TelemetryStream> all() {
        return streams.values();
    }

    /**
     * Sends the Acks that are due and forgets the streams whose call is over. A closed stream stays known
     * until its call's last event, so late events of a refused call find it closed instead of starting a
     * new count.
     */
    void ackAndForgetFinished() {
        streams.values().removeIf(s -> s.ackIfDone() && s.finished());
    }

    /** Every known stream is answered (or cancelled): nothing is waiting for a flush. */
    boolean allClosed() {
        return streams.values().stream().allMatch(TelemetryStream::closed);
    }
}
