package dev.twinflow.telemetry;

import dev.twinflow.telemetry.proto.Ack;
import dev.twinflow.telemetry.proto.Packet;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.grpc.GrpcConstants;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The {@code telemetry-ingest} route's step: camel-grpc (DELEGATION strategy) hands it every packet
 * of every client stream, then the stream's end. Per packet the work is an in-memory count; a
 * flusher thread writes all streams' counts to Redis in one atomic call every flush interval (and at
 * once when a stream ends), then answers the streams that ended with {@code Ack{ok=true}}.
 *
 * <p>Exactness: a stream's packets reach Redis only through flushes, each applied all or nothing, and
 * the Ack waits for all of them, so N packets in acknowledged streams add exactly N. When Redis does
 * not confirm a flush, the streams in it fail with UNAVAILABLE, saying how many of their packets
 * were confirmed before and how many may or may not have been applied.
 *
 * <p>Counted packets also go to {@code direct:publish-telemetry} (Kafka topic {@code telemetry}) in
 * batches; removing that route's step turns it off. Publishing never holds up counting: when Kafka
 * lags by more than a few batches, batches are dropped and counted in the log.
 */
@Component("telemetryIngest")
public class TelemetryIngest implements Processor, SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryIngest.class);
    static final String PUBLISH = "direct:publish-telemetry";

    private final DeviceCounters counters;
    private final TelemetryProperties properties;
    private final ProducerTemplate producer;
    private final java.util.concurrent.ExecutorService publisherThread =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "telemetry-publisher");
                t.setDaemon(true);
                return t;
            });
    private org.apache.camel.AsyncProducer publisher;
    private final long maxPayload;
    private final Map<StreamObserver<?>, TelemetryStream> streams = new ConcurrentHashMap<>();
    private final Semaphore publishing = new Semaphore(8);
    private final AtomicLong publishDropped = new AtomicLong();
    private final AtomicLong packetsCounted = new AtomicLong();
    private final Object signal = new Object();
    private volatile boolean flushRequested;
    private volatile boolean running;
    private Thread flusher;

    TelemetryIngest(DeviceCounters counters, TelemetryProperties properties, ProducerTemplate producer) {
        this.counters = counters;
        this.properties = properties;
        this.producer = producer;
        this.maxPayload = properties.maxPayloadSize().toBytes();
    }

    /** Packets counted in Redis since start. */
    public long packetsCounted() {
        return packetsCounted.get();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws InterruptedException {
        StreamObserver<Ack> observer = exchange.getProperty(GrpcConstants.GRPC_RESPONSE_OBSERVER, StreamObserver.class);
        String event = exchange.getIn().getHeader(GrpcConstants.GRPC_EVENT_TYPE_HEADER, String.class);
        if (GrpcConstants.GRPC_EVENT_TYPE_ON_NEXT.equals(event)) {
            TelemetryStream stream = streams.computeIfAbsent(
                    observer, o -> new TelemetryStream(observer, properties.maxPendingPackets()));
            onPacket(stream, exchange.getIn().getBody(Packet.class));
        } else if (GrpcConstants.GRPC_EVENT_TYPE_ON_COMPLETED.equals(event)) {
            TelemetryStream stream = streams.computeIfAbsent(observer, o -> new TelemetryStream(observer, 1));
            stream.end();
            requestFlush();
        } else if (GrpcConstants.GRPC_EVENT_TYPE_ON_ERROR.equals(event)) {
            TelemetryStream stream = streams.get(observer);
            if (stream != null) {
                // what was received is still counted by the next flush; the client gets no Ack
                stream.cancelled();
                requestFlush();
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
        if (packet.getDeviceId().isEmpty()) {
            reject(stream, "device_id is empty: every packet must name its device (field 1, device_id)");
            return;
        }
        if (packet.getPayload().size() > maxPayload) {
            reject(
                    stream,
                    "payload of " + packet.getPayload().size() + " bytes exceeds the limit of " + maxPayload
                            + " bytes (twinflow.telemetry.max-payload-size)");
            return;
        }
        stream.add(packet, this::requestFlush);
    }

    private void reject(TelemetryStream stream, String why) {
        stream.refuse(why);
        requestFlush();
    }

    private void requestFlush() {
        flushRequested = true;
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void flushLoop() {
        long interval = properties.flushInterval().toMillis();
        while (running || !streams.isEmpty()) {
            synchronized (signal) {
                if (!flushRequested) {
                    try {
                        signal.wait(interval);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                flushRequested = false;
            }
            try {
                flush();
            } catch (RuntimeException e) {
                LOG.error("telemetry flush failed", e);
            }
            if (!running && streams.values().stream().allMatch(TelemetryStream::closed)) {
                return;
            }
        }
    }

    /** One flush: drain every stream, one atomic Redis call, then answer the streams that are done. */
    void flush() {
        List<TelemetryStream.Drained> drained = new ArrayList<>();
        Map<String, Long> total = new HashMap<>();
        for (TelemetryStream s : streams.values()) {
            TelemetryStream.Drained d = s.drain();
            if (d != null) {
                drained.add(d);
                d.counts().forEach((device, n) -> total.merge(device, n[0], Long::sum));
            }
        }
        if (!total.isEmpty()) {
            try {
                counters.add(total);
                drained.forEach(d -> d.stream().confirmed(d.total()));
                packetsCounted.addAndGet(drained.stream()
                        .mapToLong(TelemetryStream.Drained::total)
                        .sum());
                publish(drained);
            } catch (RuntimeException e) {
                LOG.warn(
                        "Redis did not confirm a flush of {} packets: {}",
                        drained.stream()
                                .mapToLong(TelemetryStream.Drained::total)
                                .sum(),
                        e.toString());
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
        // a closed stream stays known until its call's last event, so late events of a refused call
        // find it closed instead of starting a new count
        streams.values().removeIf(s -> s.ackIfDone() && s.finished());
    }

    // one exchange per flush; each packet is a message of its own so that it keeps its device as key
    // (the Kafka component takes the key of an iterable's element only from an element message)
    private void publish(List<TelemetryStream.Drained> drained) {
        List<Message> batch = new ArrayList<>();
        for (TelemetryStream.Drained d : drained) {
            for (Packet p : d.packets()) {
                Message m = new DefaultMessage(producer.getCamelContext());
                m.setHeader(KafkaConstants.KEY, p.getDeviceId());
                m.setBody(p.toByteArray());
                batch.add(m);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        if (!publishing.tryAcquire()) {
            long dropped = publishDropped.addAndGet(batch.size());
            LOG.warn(
                    "Kafka is behind: {} counted packets not published to the telemetry topic ({} so far)",
                    batch.size(),
                    dropped);
            return;
        }
        Exchange exchange = new DefaultExchange(producer.getCamelContext());
        exchange.getMessage().setBody(batch);
        // one thread hands the batches to Kafka in flush order, so a device's packets stay in order;
        // it may block while Kafka is away, which only fills the publishing permits, never the flusher
        publisherThread.execute(() -> {
            try {
                publisher().process(exchange, doneSync -> publishing.release());
            } catch (RuntimeException e) {
                publishing.release();
                LOG.warn("telemetry batch not published: {}", e.toString());
            }
        });
    }

    private org.apache.camel.AsyncProducer publisher() {
        if (publisher == null) {
            try {
                publisher = producer.getCamelContext().getEndpoint(PUBLISH).createAsyncProducer();
                org.apache.camel.support.service.ServiceHelper.startService(publisher);
            } catch (Exception e) {
                throw new IllegalStateException("cannot reach " + PUBLISH, e);
            }
        }
        return publisher;
    }

    @Override
    public void start() {
        running = true;
        flusher = new Thread(this::flushLoop, "telemetry-flusher");
        flusher.setDaemon(true);
        flusher.start();
    }

    /** Lets streams in progress finish their last flush before the app stops. */
    @Override
    public void stop() {
        running = false;
        requestFlush();
        try {
            flusher.join(TimeUnit.SECONDS.toMillis(10));
            publisherThread.shutdown();
            publisherThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
