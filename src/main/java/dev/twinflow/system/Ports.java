package dev.twinflow.system;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Port checks shared by every listener twinflow opens. */
public final class Ports {

    /** The lowest port handed out: above the well-known and most registered service ports. */
    private static final int LOWEST = 10_000;

    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private Ports() {}

    /**
     * Returns {@code port}, or a free one when it is 0.
     *
     * @throws PortInUse naming {@code setting} when the port is taken
     */
    public static int claim(int port, String setting) {
        if (port == 0) {
            return free();
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return port;
        } catch (IOException e) {
            throw new PortInUse(setting, port, e);
        }
    }

    /**
     * A port free now, below the kernel's range of ephemeral ports where one is found: a port chosen
     * by the kernel ({@code bind(0)}) comes from the range outgoing connections take their local ports
     * from, so a client connecting meanwhile could take it before the listener that was handed it binds
     * (seen in the tests: an embedded broker's port taken by a Kafka client). Never the same port twice
     * in one JVM.
     */
    public static int free() {
        int high = ephemeralStart() - 1;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 200 && high > LOWEST; i++) {
            int port = random.nextInt(LOWEST, high + 1);
            if (bindable(port) && GIVEN.add(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            GIVEN.add(socket.getLocalPort());
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first ephemeral port (Linux's {@code ip_local_port_range}; 32768 elsewhere). */
    private static int ephemeralStart() {
        try {
            // by lines: readString stops after the first byte of a /proc file
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .get(0)
                    .trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
