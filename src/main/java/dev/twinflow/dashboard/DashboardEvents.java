package dev.twinflow.dashboard;

import dev.twinflow.system.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /dashboard/events}: Server-Sent Events, one {@code snapshot} event at connect and one
 * a second after. Spring MVC rather than a Camel route, since platform-http cannot stream a response.
 *
 * <p>One producer thread assembles each snapshot once and sends the same text to every client;
 * nothing is assembled while nobody watches. A client that went away fails its next send and is
 * dropped.
 */
@RestController
class DashboardEvents implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardEvents.class);
    // the browser's EventSource reconnects by itself: a bounded stream costs a reconnect, not data
    private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(10);
    private static final long PERIOD_MS = 1000;

    private final DashboardSnapshots snapshots;
    private final Set<SseEmitter> clients = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService producer;
    private volatile boolean running;
    private String latest;
    private long latestAt;

    DashboardEvents(DashboardSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    @GetMapping(path = "/dashboard/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events() {
        SseEmitter client = new SseEmitter(STREAM_TIMEOUT.toMillis());
        if (!running) {
            client.complete(); // shutting down: no stream that would hold up the graceful shutdown
            return client;
        }
        client.onCompletion(() -> clients.remove(client));
        client.onTimeout(client::complete);
        client.onError(e -> clients.remove(client));
        clients.add(client);
        try {
            producer.execute(() -> welcome(client));
        } catch (RejectedExecutionException stopped) {
            client.complete();
        }
        return client;
    }

    /** The latest snapshot for a new client, or a fresh one for everybody when it is stale. */
    private void welcome(SseEmitter client) {
        if (latest != null && System.currentTimeMillis() - latestAt < PERIOD_MS * 3 / 2) {
            send(client, latest);
        } else {
            tick();
        }
    }

    private void tick() {
        if (clients.isEmpty()) {
            return;
        }
        try {
            latest = Json.MAPPER.writeValueAsString(snapshots.snapshot());
            latestAt = System.currentTimeMillis();
        } catch (IOException | RuntimeException e) {
            LOG.warn("dashboard snapshot failed: {}", e.toString());
            return;
        }
        clients.forEach(client -> send(client, latest));
    }

    // a send blocks while the client's TCP buffer is full; a snapshot is a few KB, so only a client
    // that stopped reading altogether could hold the producer, until the server's write timeout fails it
    private void send(SseEmitter client, String snapshot) {
        try {
            client.send(SseEmitter.event().name("snapshot").reconnectTime(2000).data(snapshot));
        } catch (IOException | IllegalStateException gone) {
            clients.remove(client);
        }
    }

    /** Streams open now. */
    int clients() {
        return clients.size();
    }

    @Override
    public void start() {
        producer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dashboard-snapshots");
            t.setDaemon(true);
            return t;
        });
        // a fixed delay, not a fixed rate: a slow snapshot (Redis timing out) must not be followed by a burst
        producer.scheduleWithFixedDelay(this::tick, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
        running = true;
    }

    /** Ends every stream before the web server's graceful shutdown would wait for them. */
    @Override
    public void stop() {
        running = false;
        // never shutdownNow: an interrupt during the message log's FileChannel read would close the log
        producer.shutdown();
        clients.forEach(SseEmitter::complete);
        clients.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
