package dev.twinflow.telemetry;

import dev.twinflow.telemetry.proto.Ack;
import dev.twinflow.telemetry.proto.Packet;
import io.grpc.stub.StreamObserver;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.grpc.GrpcConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code telemetry-ingest} route's step: camel-grpc (DELEGATION strategy) hands it every packet
 * of every client stream, then the stream's end. Per packet the work is a check and an in-memory count
 * in the stream's {@link TelemetryStream}; the {@code flush-telemetry} route ({@link TelemetryFlusher},
 * {@link RedisFlush}) writes the counts to Redis and answers the streams.
 */
@Component("telemetryIngest")
class TelemetryIngest implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryIngest.class);

    private final OpenStreams streams;
    private final FlushSignal flushSignal;
    private final PacketCheck check;
    private final int maxPending;

    TelemetryIngest(OpenStreams streams, FlushSignal flushSignal, TelemetryProperties properties) {
        this.streams = streams;
        this.flushSignal = flushSignal;
        this.check = new PacketCheck(properties.maxPayloadSize().toBytes());
        this.maxPending = properties.maxPendingPackets();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws InterruptedException {
        StreamObserver<Ack> observer = exchange.getProperty(GrpcConstants.GRPC_RESPONSE_OBSERVER, StreamObserver.class);
        String event = exchange.getIn().getHeader(GrpcConstants.GRPC_EVENT_TYPE_HEADER, String.class);
        if (GrpcConstants.GRPC_EVENT_TYPE_ON_NEXT.equals(event)) {
            onPacket(streams.of(observer, maxPending), exchange.getIn().getBody(Packet.class));
        } else if (GrpcConstants.GRPC_EVENT_TYPE_ON_COMPLETED.equals(event)) {
            streams.of(observer, 1).end();
            flushSignal.request();
        } else if (GrpcConstants.GRPC_EVENT_TYPE_ON_ERROR.equals(event)) {
            TelemetryStream stream = streams.get(observer);
            if (stream != null) {
                // what was received is still counted by the next flush; the client gets no Ack
                stream.cancelled();
                flushSignal.request();
                LOG.info(
                        "a telemetry stream was cancelled by its client after {} packets, all of them counted"
                                + " ({} already in Redis, the rest with the next flush); no Ack",
                        stream.received(),
                        stream.counted());
            }
        }
    }

    private void onPacket(TelemetryStream stream, Packet packet) throws InterruptedException {
        if (stream.closed()) {
            return;
        }
        String problem = check.problem(packet);
        if (problem != null) {
            stream.refuse(problem);
            flushSignal.request();
            return;
        }
        stream.add(packet, flushSignal::request);
    }
}
