package dev.twinflow.telemetry;

import dev.twinflow.telemetry.proto.Ack;
import dev.twinflow.telemetry.proto.Packet;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One client stream: what it sent, what of it is counted in Redis, and its answer. Packets are
 * counted in memory ({@link #add}) and handed to the flusher in batches ({@link #drain}); the Ack is
 * sent only once the stream has ended and every packet of it is confirmed by Redis.
 */
final class TelemetryStream {

    /** What one flush takes from a stream. */
    record Drained(TelemetryStream stream, Map<String, long[]> counts, List<Packet> packets, long total) {}

    private final StreamObserver<Ack> observer;
    private final int maxPending;
    // a mutable cell per device: no boxing on the per-packet path
    private Map<String, long[]> counts = new HashMap<>();
    private List<Packet> packets = new ArrayList<>();
    private long pending;
    private long received;
    private long counted;
    // drained by a flush whose Redis call has not answered yet
    private long inFlight;
    private boolean ended;
    private boolean cancelled;
    private boolean closed;
    private long closedAt;

    TelemetryStream(StreamObserver<Ack> observer, int maxPending) {
        this.observer = observer;
        this.maxPending = maxPending;
    }

    /** Counts one packet; waits while too many are pending (back-pressure on the gRPC call). */
    synchronized boolean add(Packet packet, Runnable flushSoon) throws InterruptedException {
        while (pending >= maxPending && !closed) {
            flushSoon.run();
            wait(50);
        }
        if (closed) {
            return false;
        }
        counts.computeIfAbsent(packet.getDeviceId(), d -> new long[1])[0]++;
        packets.add(packet);
        pending++;
        received++;
        return true;
    }

    /** Takes everything not yet flushed. */
    synchronized Drained drain() {
        if (pending == 0) {
            return null;
        }
        Drained d = new Drained(this, counts, packets, pending);
        inFlight += pending;
        counts = new HashMap<>();
        packets = new ArrayList<>();
        pending = 0;
        notifyAll();
        return d;
    }

    synchronized void confirmed(long n) {
        counted += n;
        inFlight -= n;
    }

    /**
     * Refuses the stream with INVALID_ARGUMENT, telling what became of its packets so far: those confirmed
     * by Redis, those in a flush still under way (counted unless that flush fails) and those dropped with
     * the refusal. One lock for the account and the refusal, so no flush slips in between.
     */
    synchronized void refuse(String why) {
        fail(Status.INVALID_ARGUMENT.withDescription(why + "; " + counted
                + " earlier packets of this stream were counted, " + inFlight
                + " more are being written to Redis, " + pending + " were dropped (" + received + " received)"));
    }

    synchronized void end() {
        ended = true;
    }

    /** Sends the Ack if the stream has ended and everything is counted. Returns true once answered. */
    synchronized boolean ackIfDone() {
        if (closed) {
            return true;
        }
        if (!ended || pending > 0 || counted < received) {
            return false;
        }
        close();
        try {
            observer.onNext(Ack.newBuilder().setOk(true).build());
            observer.onCompleted();
        } catch (RuntimeException callAlreadyGone) {
            // the client went away after its last packet: nobody is left to answer
        }
        return true;
    }

    /**
     * Answered, and no more events of this call are to come: the client ended or broke it, or it was
     * closed a while ago (a refused call may never see its client's end).
     */
    synchronized boolean finished() {
        return closed && (ended || cancelled || System.nanoTime() - closedAt > 60_000_000_000L);
    }

    private void close() {
        closed = true;
        closedAt = System.nanoTime();
    }

    /** Fails the stream once with {@code status}; later packets of it are ignored. */
    synchronized void fail(Status status) {
        if (closed) {
            return;
        }
        close();
        counts.clear();
        packets.clear();
        pending = 0;
        notifyAll();
        try {
            observer.onError(status.asRuntimeException());
        } catch (RuntimeException callAlreadyGone) {
            // cancelled by the client meanwhile
        }
    }

    /** The client cancelled or broke the call: nothing more will come and no answer is possible. */
    synchronized void cancelled() {
        cancelled = true;
        if (!closed) {
            close();
        }
        notifyAll();
    }

    synchronized boolean closed() {
        return closed;
    }

    synchronized long received() {
        return received;
    }

    synchronized long counted() {
        return counted;
    }
}
