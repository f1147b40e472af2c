package dev.twinflow.system;

import dev.twinflow.settings.TwinflowProperties;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
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
 * <p>Before the router: a request labelled as a form is relabelled JSON (every body this API takes is
 * JSON; {@code curl -d} labels it a form). On the router: until every route has started and from the
 * moment a shutdown begins, {@code 503} with {@code Retry-After} (never the {@code 404} of a route not
 * there yet); logins for control endpoints ({@link FrontSecurity}); bodies over {@code
 * twinflow.http.max-body-size} get {@code 413}; errors get the API's JSON body.
 */
public final class HttpFront implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final byte[] STARTING =
            HttpErrors.body("not_ready", "twinflow is starting or stopping; retry shortly");

    private final int port;
    private final long maxBodySize;
    private final ApplicationAvailability availability;
    private final ConfigurableEnvironment environment;
    private final Vertx vertx;
    private final Router router;
    private final ServletForward servlets;
    private final FrontSecurity security;
    private final int eventLoops;
    private final java.util.List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

    HttpFront(
            int port,
            TwinflowProperties properties,
            ApplicationAvailability availability,
            ConfigurableEnvironment environment,
            FrontSecurity security) {
        this.port = port;
        this.maxBodySize = properties.http().maxBodySize().toBytes();
        this.availability = availability;
        this.environment = environment;
        this.security = security;
        this.eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
        // platform-http runs every exchange on a worker thread, and a request waiting for its fsync
        // holds one: the pool must be as wide as the concurrency group commit should batch
        this.vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(eventLoops)
                .setWorkerPoolSize(properties.http().workerThreads())
                .setMaxWorkerExecuteTime(5)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES));
        this.router = Router.router(vertx);
        this.servlets = new ServletForward(vertx);
        router.route().order(-3).handler(this::gate);
        // what Tomcat serves, Spring Security guards there
        for (String path : ServletForward.PATHS) {
            router.route(path).order(-2).handler(servlets::forward);
        }
        router.route().order(-1).handler(security::handle);
        router.errorHandler(
                404,
                ctx -> error(
                        ctx, 404, "not_found", "no endpoint at " + ctx.request().path()));
        router.errorHandler(
                405,
                ctx -> error(
                        ctx,
                        405,
                        "method_not_allowed",
                        ctx.request().method() + " is not allowed on "
                                + ctx.request().path()));
        router.errorHandler(
                413,
                ctx -> error(
                        ctx,
                        413,
                        "payload_too_large",
                        "the body exceeds the limit of " + maxBodySize + " bytes (twinflow.http.max-body-size)"));
        router.errorHandler(500, ctx -> {
            if (ctx.failure() != null) {
                LOG.error(
                        "HTTP {} {} failed",
                        ctx.request().method(),
                        ctx.request().path(),
                        ctx.failure());
            }
            error(
                    ctx,
                    500,
                    "internal_error",
                    ctx.failure() == null ? "internal error" : ctx.failure().toString());
        });
    }

    /** What Camel's platform-http consumers add their routes to (a registry bean named for it). */
    VertxPlatformHttpRouter camelRouter() {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodySize);
        return new VertxPlatformHttpRouter(
                null, vertx, router, VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO) {
            @Override
            public io.vertx.core.Handler<RoutingContext> bodyHandler() {
                return ctx -> {
                    ctx.request().resume();
                    body.handle(ctx);
                };
            }
        };
    }

    private void gate(RoutingContext ctx) {
        // a field read: the last AvailabilityChangeEvent Spring Boot published
        if (availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC
                || ctx.request().path().startsWith("/actuator")) {
            ctx.next();
            return;
        }
        ctx.response()
                .setStatusCode(503)
                .putHeader("Retry-After", "1")
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(io.vertx.core.buffer.Buffer.buffer(STARTING));
    }

    static void error(RoutingContext ctx, int status, String error, String detail) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(io.vertx.core.buffer.Buffer.buffer(HttpErrors.body(error, detail)));
    }

    private void accept(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && type.regionMatches(true, 0, FORM, 0, FORM.length())) {
            request.headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        router.handle(request);
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
                .requestHandler(this::accept)
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
