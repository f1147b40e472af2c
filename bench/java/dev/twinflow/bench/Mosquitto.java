package dev.twinflow.bench;

import dev.twinflow.system.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto 2 broker of its own: Debian's {@code mosquitto} binary started as a child process on a
 * free port, with persistence and a config under {@code dir} like {@code compose/mosquitto.conf}
 * (queue of 1M per client) and, unless given, Mosquitto's default in-flight window.
 */
final class Mosquitto implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Process process;
    private final int port;

    private Mosquitto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** True where Debian's mosquitto package is installed. */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts one; {@code extraConfig} lines (such as {@code max_inflight_messages 1000}) are appended
     * to the compose file's settings.
     */
    public static Mosquitto start(Path dir, String... extraConfig) throws IOException, InterruptedException {
        int port = Ports.free();
        Path data = Files.createDirectories(dir.resolve("data"));
        StringBuilder conf = new StringBuilder()
                .append("listener ")
                .append(port)
                .append(" 127.0.0.1\n")
                .append("allow_anonymous true\n")
                .append("persistence true\n")
                .append("persistence_location ")
                .append(data)
                .append("/\n")
                .append("max_queued_messages 1000000\n");
        for (String line : extraConfig) {
            conf.append(line).append('\n');
        }
        Path file = dir.resolve("mosquitto.conf");
        Files.writeString(file, conf);
        Process process = new ProcessBuilder(BINARY.toString(), "-c", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new Mosquitto(process, port);
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
