package dev.twinflow.system;

import dev.twinflow.settings.TwinflowProperties;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The HTTP port ({@code server.port}): a Vert.x server whose router carries the Camel {@code
 * platform-http} routes (the data plane), with nothing between a request and its route but what the
 * API promises. Actuator, Hawtio and the dashboard are Spring MVC on a Tomcat bound to loopback; the
 * front forwards their paths there ({@link ServletForward}), so users still see one port.
 *
 * <p>What stands in front of the routes is {@link FrontRouter}'s; this class owns the servers' lifecycle:
 * one per event loop on the shared port, started after Tomcat, stopped before the graceful shutdown.
 */
public final class HttpFront implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);

    private final int port;
    private final ConfigurableEnvironment environment;
    private final Vertx vertx;
    private final FrontRouter router;
    private final ServletForward servlets;
    private final int eventLoops;
    private final java.util.List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

    HttpFront(
            int port,
            TwinflowProperties properties,
            ApplicationAvailability availability,
            ConfigurableEnvironment environment,
            FrontSecurity security) {
        this.port = port;
        this.environment = environment;
        this.eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
        // platform-http runs every exchange on a worker thread, and a request waiting for its fsync
        // holds one: the pool must be as wide as the concurrency group commit should batch
        this.vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(eventLoops)
                .setWorkerPoolSize(properties.http().workerThreads())
                .setMaxWorkerExecuteTime(5)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES));
        this.servlets = new ServletForward(vertx);
        this.router =
                new FrontRouter(vertx, properties.http().maxBodySize().toBytes(), availability, servlets, security);
    }

    /** What Camel's platform-http consumers add their routes to (a registry bean named for it). */
    VertxPlatformHttpRouter camelRouter() {
        return router.camelRouter();
    }

    /** What stands in front of the routes. */
    FrontRouter frontRouter() {
        return router;
    }

    @Override
    public void start() {
        servlets.target(environment.getProperty("local.server.port", Integer.class, -1));
        // one server per event loop on the same port (Vert.x shares the socket and deals out the
        // connections): a server is served by one event loop, which one core would be the limit of.
        // Vert.x shares a server by the port asked for, so "any free port" is chosen here, once
        int bind = dev.twinflow.system.Ports.claim(port, "server.port");
        try {
            for (int i = 0; i < eventLoops; i++) {
                servers.add(listen(bind));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP server on port " + bind + " (server.port)", e);
        }
        int front = servers.get(0).actualPort();
        publishPorts(front, servlets.targetPort());
        LOG.info(
                "HTTP on port {} (Vert.x); actuator, console and dashboard forwarded to Tomcat on 127.0.0.1:{}",
                front,
                servlets.targetPort());
    }

    private HttpServer listen(int port) throws Exception {
        return vertx.createHttpServer(new HttpServerOptions()
                        .setCompressionSupported(false)
                        .setTcpNoDelay(true)
                        .setIdleTimeout(0))
                .requestHandler(router::accept)
                .listen(port)
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    /**
     * {@code local.server.port} is the port users call (tests read it through {@code @LocalServerPort});
     * Tomcat's own is {@code local.twinflow.servlet.port}.
     */
    private void publishPorts(int front, int servlet) {
        PropertySource<?> source = environment.getPropertySources().get("server.ports");
        Map<String, Object> ports;
        if (source instanceof MapPropertySource map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> existing = (Map<String, Object>) map.getSource();
            ports = existing;
        } else {
            ports = new HashMap<>();
            environment.getPropertySources().addFirst(new MapPropertySource("server.ports", ports));
        }
        ports.put("local.server.port", front);
        ports.put("local.twinflow.servlet.port", servlet);
    }

    @Override
    public void stop() {
        servers.forEach(s -> quietly(s.close()));
        servers.clear();
        quietly(vertx.close());
    }

    private static void quietly(io.vertx.core.Future<Void> closing) {
        closing.toCompletionStage()
                .toCompletableFuture()
                .orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(e -> null)
                .join();
    }

    @Override
    public boolean isRunning() {
        return !servers.isEmpty();
    }

    /** After Tomcat (its port is forwarded to), before the graceful shutdown of the web server. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1536;
    }
}
