package dev.twinflow.telemetry;

import dev.twinflow.telemetry.proto.Packet;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One flush: every stream's new counts to Redis in one atomic call, then the answers that are due.
 *
 * <p>Exactness: a stream's packets reach Redis only through flushes, each applied all or nothing, and
 * the Ack waits for all of them, so N packets in acknowledged streams add exactly N. When Redis does
 * not confirm a flush, the streams in it fail with UNAVAILABLE, saying how many of their packets
 * were confirmed before and how many may or may not have been applied.
 */
@Component
class RedisFlush {

    private static final Logger LOG = LoggerFactory.getLogger(RedisFlush.class);

    private final DeviceCounters counters;
    private final OpenStreams streams;
    private final AtomicLong packetsCounted = new AtomicLong();

    RedisFlush(DeviceCounters counters, OpenStreams streams) {
        this.counters = counters;
        this.streams = streams;
    }

    /** Packets counted in Redis since start. */
    long packetsCounted() {
        return packetsCounted.get();
    }

    /**
     * Drains every stream, writes the counts in one atomic Redis call, then answers the streams that
     * are done (Ack) or whose packets Redis did not confirm (UNAVAILABLE).
     *
     * @return the packets Redis confirmed, in stream and arrival order; empty when none
     */
    List<Packet> flush() {
        List<TelemetryStream.Drained> drained = new ArrayList<>();
        Map<String, Long> total = new HashMap<>();
        long packets = 0;
        for (TelemetryStream s : streams.all()) {
            TelemetryStream.Drained d = s.drain();
            if (d != null) {
                drained.add(d);
                d.counts().forEach((device, n) -> total.merge(device, n[0], Long::sum));
                packets += d.total();
            }
        }
        List<Packet> counted = List.of();
        if (!total.isEmpty()) {
            try {
                counters.add(total);
                drained.forEach(d -> d.stream().confirmed(d.total()));
                packetsCounted.addAndGet(packets);
                counted = new ArrayList<>((int) packets);
                for (TelemetryStream.Drained d : drained) {
                    counted.addAll(d.packets());
                }
            } catch (RuntimeException e) {
                LOG.warn("Redis did not confirm a flush of {} packets: {}", packets, e.toString());
                for (TelemetryStream.Drained d : drained) {
                    d.stream()
                            .fail(Status.UNAVAILABLE
                                    .withCause(e)
                                    .withDescription("Redis unavailable (" + e.getMessage()
                                            + "): " + d.stream().counted()
                                            + " packets of this stream are counted, the next "
                                            + d.total() + " may or may not be, the rest were not; no Ack"));
                }
            }
        }
        streams.ackAndForgetFinished();
        return counted;
    }
}
