package dev.twinflow.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.AppendLog;
import dev.twinflow.system.Json;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/**
 * The baseline of bench/receive: a bare Vert.x HTTP server (no framework, no routing library) doing
 * what {@code POST /receive} does to a message: parse the body as a JSON object, stamp {@code
 * received_at}/{@code received_by}, append it to the same {@link AppendLog} (same format, group
 * commit) and answer once it is fsynced. Nothing else: no paths, limits, errors beyond a 400.
 * Usage: BareReceiveServer port data-dir
 */
public final class BareReceiveServer {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        AppendLog log = new AppendLog(Path.of(args[1]).resolve("messages.jsonl"), true);
        Vertx vertx = Vertx.vertx();
        EchoServer.serve(
                vertx.createHttpServer()
                        .requestHandler(request -> request.body().onSuccess(body -> {
                            ObjectNode message;
                            try {
                                message = Json.parseObject(body.getBytes());
                            } catch (RuntimeException bad) {
                                request.response().setStatusCode(400).end();
                                return;
                            }
                            BigDecimal receivedAt = BigDecimal.valueOf(System.currentTimeMillis(), 3);
                            message.remove(List.of("received_at", "received_by"));
                            message.put("received_at", receivedAt).put("received_by", "bare");
                            // the append's future completes on the log's writer thread after the fsync
                            log.append(List.of(Json.bytes(message))).whenComplete((index, failed) -> {
                                if (failed != null) {
                                    request.response().setStatusCode(500).end();
                                    return;
                                }
                                byte[] answer = Json.bytes(Json.MAPPER
                                        .createObjectNode()
                                        .put("status", "success")
                                        .put("message", "data received and saved")
                                        .put("index", index)
                                        .put("received_at", receivedAt)
                                        .put("received_by", "bare"));
                                request.response()
                                        .putHeader("Content-Type", "application/json")
                                        .end(Buffer.buffer(answer));
                            });
                        })),
                port);
    }
}
