package dev.twinflow.system;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;

/**
 * What stands between a request and its route, in order: a form label made JSON, the start-up gate
 * (503 with {@code Retry-After}), the forwards to Tomcat, logins, the body limit (413), and the API's
 * JSON 404/405/413/500 answers.
 */
final class FrontRouter {

    /**
     * Where {@code batched-http:} routes go: after the gate, the forwards and logins, before Camel's
     * platform-http routes (a request is matched against the routes in order).
     */
    static final int BATCHED_ORDER = -50;

    private static final Logger LOG = LoggerFactory.getLogger(FrontRouter.class);
    private static final String FORM = "application/x-www-form-urlencoded";

    private final Vertx vertx;
    private final long maxBodySize;
    private final ApplicationAvailability availability;
    private final FrontSecurity security;
    private final Router router;
    private final Map<String, BatchedHttpConsumer> direct = new ConcurrentHashMap<>();

    FrontRouter(
            Vertx vertx,
            long maxBodySize,
            ApplicationAvailability availability,
            ServletForward servlets,
            FrontSecurity security) {
        this.vertx = vertx;
        this.maxBodySize = maxBodySize;
        this.availability = availability;
        this.security = security;
        this.router = Router.router(vertx);
        router.route().order(-300).handler(this::gate);
        // what Tomcat serves, Spring Security guards there
        for (String path : ServletForward.PATHS) {
            router.route(path).order(-200).handler(servlets::forward);
        }
        router.route().order(-100).handler(security::handle);
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
                .end(io.vertx.core.buffer.Buffer.buffer(HttpErrors.NOT_READY));
    }

    /** The API's JSON error answer, unless something was already written. */
    static void error(RoutingContext ctx, int status, String error, String detail) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(io.vertx.core.buffer.Buffer.buffer(HttpErrors.body(error, detail)));
    }

    /** Every request of every server, before routing. */
    void accept(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && type.regionMatches(true, 0, FORM, 0, FORM.length())) {
            request.headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        if (!direct.isEmpty() && request.method() == HttpMethod.POST) {
            BatchedHttpConsumer batched = direct.get(request.path());
            if (batched != null && passesWithoutRouter(request)) {
                batched.take(request);
                return;
            }
        }
        router.handle(request);
    }

    /**
     * A {@code batched-http:} request that the router's handlers would all let through untouched: the
     * app is ready, no login is needed and none is offered (a wrong one is a 401 there), the body's
     * length is declared and within the limit. It skips the router (a tenth of such a request's
     * cost); any other takes the router's way to the same route.
     */
    private boolean passesWithoutRouter(HttpServerRequest request) {
        if (availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC
                || request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || security.need("POST", request.path()) != FrontSecurity.Need.NOTHING) {
            return false;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return false;
        }
        try {
            long declared = Long.parseLong(length);
            if (declared < 0 || declared > maxBodySize) {
                return false;
            }
        } catch (NumberFormatException notANumber) {
            return false;
        }
        // what the logins' handler does to every request: the user header is the login's, or none
        security.stripUserHeader(request);
        return true;
    }

    /** POST requests to {@code path} go straight to {@code consumer} where the router's way adds nothing. */
    void direct(String path, BatchedHttpConsumer consumer) {
        direct.put(path, consumer);
    }

    /** Undoes {@link #direct(String, BatchedHttpConsumer)}. */
    void undirect(String path, BatchedHttpConsumer consumer) {
        direct.remove(path, consumer);
    }
}
