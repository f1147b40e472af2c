package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.TestHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar} on the packaged jar (built by {@code package}, before the ITs): the launching JVM
 * extracts it, runs the app in a second JVM that writes a CDS archive at its exit, and the next start
 * maps that archive. Stops and kills of the launching JVM reach the app.
 */
class FastStartIT {

    static Path jar;

    @TempDir
    Path dir;

    final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void packagedJar() throws IOException {
        try (Stream<Path> target = Files.list(Path.of("target"))) {
            jar = target.filter(p -> p.getFileName().toString().matches("twinflow-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no packaged jar in target/: run ./mvnw verify"));
        }
    }

    @AfterEach
    void stopAll() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void theSecondStartRunsFromTheExtractedJarWithTheArchiveTheFirstWrote() throws Exception {
        Path cache = dir.resolve("cache");

        Started first = start(cache, "first.log");
        ProcessHandle firstApp = first.app();
        assertThat(arguments(firstApp)).anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=" + cache));
        assertThat(arguments(firstApp))
                .contains("-jar")
                .anyMatch(a -> a.startsWith(cache.toString()) && a.endsWith(".jar"));
        // a stop of the launching JVM is the app's graceful stop; the archive is written at its exit
        first.launcher().destroy();
        assertThat(first.launcher().waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(firstApp.isAlive()).isFalse();
        Path build = onlyBuild(cache);
        try (Stream<Path> files = Files.list(build)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertThat(names).anyMatch(n -> n.matches("app-.*\\.jsa")).noneMatch(n -> n.endsWith(".tmp"));
        }

        Started second = start(cache, "second.log");
        ProcessHandle secondApp = second.app();
        String archive = arguments(secondApp).stream()
                .filter(a -> a.startsWith("-XX:SharedArchiveFile="))
                .findFirst()
                .orElseThrow()
                .substring("-XX:SharedArchiveFile=".length());
        // the JVM mapped the archive: its classes come from it
        assertThat(Files.readString(Path.of("/proc", Long.toString(secondApp.pid()), "maps")))
                .contains(archive);
        assertThat(new TestHttp(second.port()).get("/data").status()).isEqualTo(200);

        // a kill -9 of the launching JVM: the app does not stay behind
        second.launcher().destroyForcibly();
        Awaitility.await("the app stopping after its launcher was killed")
                .atMost(Duration.ofSeconds(90))
                .until(() -> !secondApp.isAlive());
        assertThat(onlyBuild(cache)).isEqualTo(build);
    }

    @Test
    void theLaunchingJvmExitsWithTheAppsExitCode() throws Exception {
        // a port that is taken stops the app's start-up with exit code 1
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Process launcher = launch(
                    dir.resolve("cache"),
                    "taken.log",
                    "--server.port=" + Ports.free(),
                    "--twinflow.terminals.port=" + taken.getLocalPort());
            assertThat(launcher.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(launcher.exitValue()).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("taken.log"))).contains("twinflow.terminals.port");
            // the archive of a start that failed is not kept: the next run writes one
            try (Stream<Path> files = Files.list(onlyBuild(dir.resolve("cache")))) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".jsa"));
            }
        }
    }

    record Started(Process launcher, int port) {
        ProcessHandle app() {
            return launcher.children()
                    .filter(c -> c.info().command().orElse("").endsWith("java"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private Started start(Path cache, String log) throws IOException {
        int port = Ports.free();
        Process launcher = launch(cache, log, "--server.port=" + port, "--twinflow.terminals.port=" + Ports.free());
        TestHttp http = new TestHttp(port);
        Awaitility.await("GET /data answering 200 from java -jar")
                .atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    if (!launcher.isAlive()) {
                        throw new IllegalStateException("exited; see " + dir.resolve(log));
                    }
                    return http.get("/data").status() == 200;
                });
        return new Started(launcher, port);
    }

    private Process launch(Path cache, String log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-D" + FastStart.CACHE + "=" + cache,
                "-jar",
                jar.toAbsolutePath().toString(),
                "--twinflow.data-dir=" + dir.resolve("data"),
                "--twinflow.grpc.port=" + Ports.free(),
                "--twinflow.kafka.embedded-port=" + Ports.free(),
                "--twinflow.redis.embedded-port=" + Ports.free(),
                "--twinflow.mqtt.embedded-port=" + Ports.free(),
                // MySQL is not what this test is about: no embedded MariaDB (its health is DOWN)
                "--twinflow.mysql.url=jdbc:mariadb://127.0.0.1:1/none"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
        started.add(p);
        return p;
    }

    private static List<String> arguments(ProcessHandle process) {
        return List.of(process.info().arguments().orElse(new String[0]));
    }

    private static Path onlyBuild(Path cache) throws IOException {
        try (Stream<Path> builds = Files.list(cache)) {
            List<Path> all = builds.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }
}
