package dev.twinflow.bench;

import io.vertx.core.Vertx;

/** The baseline of TerminalsBench: a raw Vert.x WebSocket server that echoes every text message. */
public final class EchoServer {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx();
        serve(vertx.createHttpServer().webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage)), port);
    }

    /**
     * Listens on 127.0.0.1:{@code port}, says {@code READY <port>} on stdout (what the benchmark that
     * started this JVM waits for) and serves until killed. The bench's bare servers share it.
     */
    static void serve(io.vertx.core.http.HttpServer server, int port) throws Exception {
        server.listen(port, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        System.out.println("READY " + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
