package dev.twinflow.terminals;

import io.vertx.core.http.ServerWebSocket;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.springframework.stereotype.Component;

/**
 * The terminal end of route {@code sync-terminals}: one exchange per WebSocket event (open, message, close).
 *
 * <p>Vert.x runs these exchanges on a single worker thread (see TerminalsConfiguration), so one
 * connection's messages are handled in the order they arrived.
 */
@Component("terminalSessions")
class TerminalSessions implements Processor {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TerminalSessions.class);

    private final Presence presence;
    private final TerminalProtocol protocol;
    private final Clock clock;

    TerminalSessions(Presence presence, TerminalProtocol protocol, Clock clock) {
        this.presence = presence;
        this.protocol = protocol;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        String key = exchange.getMessage().getHeader(VertxWebsocketConstants.CONNECTION_KEY, String.class);
        String event = String.valueOf(exchange.getMessage().getHeader(VertxWebsocketConstants.EVENT));
        switch (event) {
            case "OPEN" ->
                presence.opened(
                        new Session(key, exchange.getMessage().getBody(ServerWebSocket.class), clock.instant()));
            case "CLOSE" -> presence.closed(presence.forget(key));
            case "MESSAGE" -> {
                Session session = presence.connection(key);
                if (session != null) {
                    protocol.message(session, exchange.getMessage().getBody(String.class));
                }
            }
            default -> LOG.debug("websocket {} on {}", event, key);
        }
    }
}
