package dev.twinflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/** The twinflow app in a child JVM, so a test can kill it with SIGKILL and start it again. */
public final class ChildApp implements AutoCloseable {

    private final Process process;
    private final int port;

    private ChildApp(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the app with the test's classpath and waits until it reports healthy (every route up). */
    public static ChildApp start(Path dataDir, Path logFile, String... extraArgs) throws IOException {
        return start(dataDir, logFile, List.of(), extraArgs);
    }

    /** As {@link #start(Path, Path, String...)}, with extra JVM options ({@code -XX:...}). */
    public static ChildApp start(Path dataDir, Path logFile, List<String> jvmOptions, String... extraArgs)
            throws IOException {
        return awaitHealthy(launch(dataDir, logFile, jvmOptions, extraArgs), logFile);
    }

    /** Starts the app as {@link #start(Path, Path, List, String...)} does, without waiting for anything. */
    public static ChildApp launch(Path dataDir, Path logFile, List<String> jvmOptions, String... extraArgs)
            throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "dev.twinflow.TwinflowApplication",
                "--server.port=" + port,
                "--twinflow.data-dir=" + dataDir));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        return new ChildApp(process, port);
    }

    private static ChildApp awaitHealthy(ChildApp app, Path logFile) {
        Process process = app.process;
        int port = app.port;
        TestHttp http = new TestHttp(port);
        try {
            Awaitility.await("child app on port " + port)
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("child app exited; see " + logFile);
                        }
                        // Tomcat answers before Camel has started every route; health waits for all of them
                        return http.get("/actuator/health").status() == 200;
                    });
        } catch (RuntimeException e) {
            // a child that never became healthy must not outlive the test (it held CPU for minutes)
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            // its log goes with the test's temp dir: the tail says why
            System.err.println("child app on port " + port + " not healthy; the last lines of " + logFile + ":");
            try (Stream<String> lines = Files.lines(logFile)) {
                List<String> all = lines.toList();
                all.subList(Math.max(0, all.size() - 80), all.size()).forEach(System.err::println);
            } catch (IOException | UncheckedIOException unreadable) {
                System.err.println("(unreadable: " + unreadable + ")");
            }
            throw e;
        }
        return app;
    }

    public int port() {
        return port;
    }

    /** The child JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /**
     * SIGKILL: no shutdown hooks, no flushing, exactly what a crash leaves behind. The engines the
     * app runs as child processes (redis-server) die with it, as in a crashed container.
     */
    public void kill() throws InterruptedException {
        var children = process.descendants().toList();
        process.destroyForcibly();
        process.waitFor();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * SIGTERM: a graceful shutdown (routes drain, open export files are published, consumers leave
     * their groups). Waits for the exit; a child still running after 90 s is killed and reported.
     */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            kill();
            throw new IllegalStateException("child app on port " + port + " ignored SIGTERM for 90 s; killed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    public static int freePort() {
        return dev.twinflow.system.Ports.free();
    }
}
