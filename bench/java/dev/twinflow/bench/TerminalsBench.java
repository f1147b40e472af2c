package dev.twinflow.bench;

import dev.twinflow.system.Ports;
import dev.twinflow.terminals.SimulatedTerminal;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.HdrHistogram.Histogram;

/**
 * Holds N simulated terminals (heartbeats, status and log pushes) on twinflow's WebSocket listener,
 * then sends commands to 1,000 of them over HTTP and times the round trip (HTTP → WebSocket →
 * terminal's answer → HTTP). The baseline is a raw Vert.x WebSocket echo server holding the same
 * number of connections, timed by echo round trips. Each server runs in its own JVM with the same
 * heap flags; memory per connection is the growth of its heap (after a full GC) and of its RSS.
 *
 * <pre>bench/terminals/run.sh [terminals=5000] [commands=1000] [concurrency=8] [hold-seconds=35]</pre>
 */
public final class TerminalsBench {

    static final String JVM_FLAGS = "-Xmx1g";

    /** A server JVM's memory: heap used after a full GC, and resident set size, in bytes. */
    record Memory(long heap, long rss) {
        Memory minus(Memory o) {
            return new Memory(heap - o.heap, rss - o.rss);
        }
    }

    /** Round-trip figures of one server. */
    record Result(String name, int held, Memory perConnection, Histogram rtt) {
        void print() {
            System.out.printf(
                    "%-22s held %5d  heap/conn %6.1f KiB  rss/conn %6.1f KiB  round trip p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n",
                    name,
                    held,
                    perConnection.heap() / 1024.0,
                    perConnection.rss() / 1024.0,
                    rtt.getValueAtPercentile(50) / 1000.0,
                    rtt.getValueAtPercentile(99) / 1000.0,
                    rtt.getMaxValue() / 1000.0);
        }
    }

    public static void main(String[] args) throws Exception {
        int terminals = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int commands = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int hold = args.length > 3 ? Integer.parseInt(args[3]) : 35;
        System.out.printf(
                "%d terminals, %d commands (%d at a time), held %d s, %d cores, server JVMs %s%n",
                terminals, commands, concurrency, hold, Runtime.getRuntime().availableProcessors(), JVM_FLAGS);
        Vertx vertx = Vertx.vertx();
        WebSocketClient client =
                vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(terminals + 10));
        try {
            // -Dbench.skip-echo=true (in BENCH_JAVA_OPTS) measures twinflow alone, when investigating
            Result echo = Boolean.getBoolean("bench.skip-echo")
                    ? null
                    : echo(vertx, client, terminals, commands, concurrency);
            Result twinflow = twinflow(vertx, client, terminals, commands, concurrency, hold);
            if (echo == null) {
                twinflow.print();
                return;
            }
            echo.print();
            twinflow.print();
            System.out.printf(
                    "ratio (twinflow / raw echo): heap per connection %.2f, p50 %.2f, p99 %.2f; goal: %d held, p99 < 50 ms: %s%n",
                    (double) twinflow.perConnection().heap()
                            / Math.max(1, echo.perConnection().heap()),
                    twinflow.rtt().getValueAtPercentile(50)
                            / (double) echo.rtt().getValueAtPercentile(50),
                    twinflow.rtt().getValueAtPercentile(99)
                            / (double) echo.rtt().getValueAtPercentile(99),
                    terminals,
                    twinflow.held() == terminals && twinflow.rtt().getValueAtPercentile(99) < 50_000
                            ? "met"
                            : "NOT met");
        } finally {
            vertx.close();
        }
    }

    static Result echo(Vertx vertx, WebSocketClient client, int n, int messages, int concurrency) throws Exception {
        int port = Ports.free();
        Process server = java("dev.twinflow.bench.EchoServer", String.valueOf(port));
        try {
            awaitLine(server, "READY");
            Thread.sleep(2000);
            Memory idle = memory(server.pid());
            List<WebSocket> sockets = new ArrayList<>(n);
            List<AtomicReference<CompletableFuture<Long>>> replies = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                AtomicReference<CompletableFuture<Long>> reply = new AtomicReference<>();
                WebSocket ws = client.connect(new WebSocketConnectOptions()
                                .setHost("127.0.0.1")
                                .setPort(port)
                                .setURI("/echo"))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                ws.textMessageHandler(t -> {
                    CompletableFuture<Long> f = reply.get();
                    if (f != null) {
                        f.complete(System.nanoTime());
                    }
                });
                sockets.add(ws);
                replies.add(reply);
            }
            Thread.sleep(3000);
            Memory held = memory(server.pid());
            // warm-up, then the measured round trips
            roundTrips(concurrency, 2 * messages, i -> echoOnce(sockets.get(i % n), replies.get(i % n)));
            Histogram rtt = roundTrips(concurrency, messages, i -> echoOnce(sockets.get(i % n), replies.get(i % n)));
            sockets.forEach(WebSocket::close);
            return new Result("raw Vert.x echo", n, perConnection(held.minus(idle), n), rtt);
        } finally {
            server.destroyForcibly().waitFor();
        }
    }

    static long echoOnce(WebSocket ws, AtomicReference<CompletableFuture<Long>> reply) throws Exception {
        CompletableFuture<Long> f = new CompletableFuture<>();
        reply.set(f);
        long start = System.nanoTime();
        ws.writeTextMessage("{\"type\":\"command\",\"id\":\"x\",\"command\":\"get_status\",\"params\":{}}");
        return f.get(30, TimeUnit.SECONDS) - start;
    }

    static Result twinflow(Vertx vertx, WebSocketClient client, int n, int commands, int concurrency, int hold)
            throws Exception {
        int http = Ports.free();
        int ws = Ports.free();
        Path data = Files.createTempDirectory("twinflow-bench-terminals");
        Process app = java(
                "dev.twinflow.TwinflowApplication",
                "--server.port=" + http,
                "--twinflow.data-dir=" + data,
                "--twinflow.terminals.port=" + ws,
                "--twinflow.terminals.shared-secret=bench",
                "--twinflow.grpc.port=0",
                "--twinflow.kafka.embedded-port=0",
                "--twinflow.redis.embedded-port=0",
                "--logging.level.root=WARN");
        ExecutorService httpThreads = Executors.newFixedThreadPool(concurrency);
        HttpClient httpClient = HttpClient.newBuilder().executor(httpThreads).build();
        String base = "http://127.0.0.1:" + http;
        try {
            awaitHealthy(httpClient, base, app);
            Thread.sleep(5000);
            Memory idle = memory(app.pid());
            URI url = URI.create("ws://127.0.0.1:" + ws + "/ws/terminals");
            List<SimulatedTerminal> sims = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                SimulatedTerminal t = new SimulatedTerminal(
                        vertx,
                        client,
                        url,
                        "t-" + i,
                        hmac("bench", "t-" + i),
                        Duration.ofSeconds(Long.getLong("bench.status-interval", 10)),
                        Duration.ofSeconds(Long.getLong("bench.log-interval", 5)));
                sims.add(t);
                t.start();
                if (i % 200 == 0) {
                    Thread.sleep(100); // a ramp, not a storm of hellos
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (sims.stream().filter(SimulatedTerminal::connected).count() < n && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            System.out.printf(
                    "twinflow: %d of %d terminals connected; holding %d s (heartbeats, status, logs)%n",
                    sims.stream().filter(SimulatedTerminal::connected).count(), n, hold);
            Thread.sleep(hold * 1000L);
            Memory held = memory(app.pid());
            long online = countOnline(httpClient, base);
            System.out.printf("twinflow: GET /terminals says %d online after %d s%n", online, hold);
            // a server runs warm: both servers get 2x the measured count as warm-up (the JIT is still busy after 200)
            roundTrips(concurrency, 2 * commands, i -> command(httpClient, base, "t-" + (1 + i % n)));
            Histogram rtt = roundTrips(concurrency, commands, i -> command(httpClient, base, "t-" + (1 + i % n)));
            sims.forEach(SimulatedTerminal::stop);
            return new Result("twinflow terminals", (int) online, perConnection(held.minus(idle), n), rtt);
        } finally {
            httpThreads.shutdownNow();
            app.destroy();
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor();
            }
        }
    }

    static long command(HttpClient http, String base, String id) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/terminals/" + id + "/commands"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"get_status\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - start;
        if (r.statusCode() != 200 || !r.body().contains("\"success\":true")) {
            throw new IllegalStateException("command to " + id + ": " + r.statusCode() + " " + r.body());
        }
        return took;
    }

    static long countOnline(HttpClient http, String base) throws Exception {
        String body = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/terminals")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return Pattern.compile("\"online\":true").matcher(body).results().count();
    }

    interface Trip {
        long nanos(int i) throws Exception;
    }

    /** {@code count} round trips, {@code concurrency} at a time; microseconds in the histogram. */
    static Histogram roundTrips(int concurrency, int count, Trip trip) throws Exception {
        Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            for (int w = 0; w < concurrency; w++) {
                all.add(CompletableFuture.runAsync(
                        () -> {
                            int i;
                            while ((i = next.getAndIncrement()) < count) {
                                try {
                                    long nanos = trip.nanos(i);
                                    synchronized (h) {
                                        h.recordValue(Math.max(1, nanos / 1000));
                                    }
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            }
                        },
                        pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        return h;
    }

    static Memory perConnection(Memory growth, int n) {
        return new Memory(growth.heap() / n, growth.rss() / n);
    }

    static Process java(String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), JVM_FLAGS));
        // e.g. BENCH_SERVER_FLAGS=-XX:StartFlightRecording=filename=/tmp/app.jfr to profile the servers
        String extra = System.getenv("BENCH_SERVER_FLAGS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    static void awaitLine(Process p, String prefix) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                drain(p);
                return;
            }
        }
        throw new IllegalStateException(p.info().command().orElse("server") + " exited");
    }

    static void drain(Process p) {
        Thread t = new Thread(() -> {
            try {
                p.getInputStream().transferTo(System.err);
            } catch (IOException ignored) {
                // exited
            }
        });
        t.setDaemon(true);
        t.start();
    }

    static void awaitHealthy(HttpClient http, String base, Process app) throws Exception {
        drain(app);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && app.isAlive()) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("twinflow did not become healthy");
    }

    /** Heap used after a full GC (jcmd) and VmRSS of a process. */
    static Memory memory(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String heap = jcmd(pid, "GC.heap_info");
        Matcher used = Pattern.compile("used (\\d+)K").matcher(heap);
        long heapBytes = used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return new Memory(heapBytes, rss);
    }

    static String jcmd(long pid, String command) throws Exception {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        String.valueOf(pid),
                        command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    static String hmac(String secret, String id) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)));
    }
}
