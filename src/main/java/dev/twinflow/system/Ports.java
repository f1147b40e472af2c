package dev.twinflow.system;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks shared by every listener twinflow opens. */
public final class Ports {

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

    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
