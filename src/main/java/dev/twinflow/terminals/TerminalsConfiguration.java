package dev.twinflow.terminals;

import dev.twinflow.system.Engine;
import dev.twinflow.system.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The WebSocket listener for terminals: its Vert.x, its limits, and its port claimed up front. */
@Configuration(proxyBeanMethods = false)
class TerminalsConfiguration {

    /**
     * camel-vertx-websocket hands every WebSocket event to {@code executeBlocking(..., ordered=false)}:
     * with several worker threads, two messages of one connection may be handled out of order (a
     * {@code log} before its {@code hello}). One worker thread keeps arrival order; the handler only
     * parses and queues asynchronous Redis writes, so one thread is plenty.
     */
    @Bean(destroyMethod = "close")
    Vertx terminalsVertx() {
        return Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));
    }

    @Bean
    ComponentCustomizer terminalsWebsocketVertx(Vertx terminalsVertx) {
        // its own router too: with none set, the component takes the only Router in the registry, which
        // is the HTTP front's (with its gate, forwards and 256 workers that reorder messages)
        return ComponentCustomizer.forType(VertxWebsocketComponent.class, c -> {
            c.setVertx(terminalsVertx);
            c.setRouter(io.vertx.ext.web.Router.router(terminalsVertx));
        });
    }

    /** Referenced by the route as {@code #terminalServerOptions}: oversized frames close with 1009. */
    @Bean
    HttpServerOptions terminalServerOptions(TerminalsProperties properties) {
        // with options given, Vert.x listens where they say, not where the endpoint URI says
        return new HttpServerOptions()
                .setHost("0.0.0.0")
                .setPort(properties.port())
                .setMaxWebSocketFrameSize((int) properties.maxFrameSize().toBytes())
                .setMaxWebSocketMessageSize((int) properties.maxMessageSize().toBytes());
    }

    @Bean
    Engine terminalsEngine(TerminalsProperties properties) {
        int port = Ports.claim(properties.port(), "twinflow.terminals.port");
        return Engine.embedded(
                "terminals", "WebSocket ws://0.0.0.0:" + port + properties.path() + " (twinflow.terminals.port)");
    }
}
