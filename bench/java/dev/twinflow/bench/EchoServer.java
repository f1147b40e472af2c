package dev.twinflow.bench;

import io.vertx.core.Vertx;

/** The baseline of TerminalsBench: a raw Vert.x WebSocket server that echoes every text message. */
public final class EchoServer {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx();
        vertx.createHttpServer()
                .webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage))
                .listen(port, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        System.out.println("READY " + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
