package dev.twinflow.system;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * Hands the paths Spring MVC serves (actuator and the Hawtio console, the dashboard's page, files and
 * event stream) to the loopback Tomcat and streams its answer back, body and all, so a browser or a
 * Prometheus scraper sees one port. Spring Security still guards them there.
 */
final class ServletForward {

    /** Router paths forwarded to Tomcat (Vert.x patterns). */
    static final List<String> PATHS = List.of(
            "/",
            "/index.html",
            "/dashboard.js",
            "/favicon.ico",
            "/dashboard/*",
            "/_static/*",
            "/actuator",
            "/actuator/*",
            "/error");

    // hop-by-hop headers (RFC 9110 7.6.1) are the connection's, not the message's
    private static final Set<String> HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "content-length");

    private final HttpClient client;
    private volatile int port = -1;

    ServletForward(Vertx vertx) {
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(32));
    }

    void target(int port) {
        this.port = port;
    }

    int targetPort() {
        return port;
    }

    void forward(RoutingContext ctx) {
        HttpServerRequest in = ctx.request();
        HttpServerResponse out = ctx.response();
        in.pause();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(in.uri())
                .setHeaders(copy(in.headers(), MultiMap.caseInsensitiveMultiMap()));
        String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        client.request(options).onFailure(e -> unavailable(ctx, e)).onSuccess(request -> {
            if (length != null) {
                request.putHeader(HttpHeaders.CONTENT_LENGTH, length);
            } else if (in.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                request.setChunked(true);
            }
            out.closeHandler(v -> request.reset());
            request.send(in).onFailure(e -> unavailable(ctx, e)).onSuccess(answer -> {
                out.setStatusCode(answer.statusCode());
                copy(answer.headers(), out.headers());
                String answerLength = answer.getHeader(HttpHeaders.CONTENT_LENGTH);
                if (answerLength != null) {
                    out.putHeader(HttpHeaders.CONTENT_LENGTH, answerLength);
                } else {
                    out.setChunked(true);
                }
                answer.pipeTo(out);
            });
        });
    }

    private static MultiMap copy(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            if (!HOP.contains(header.getKey().toLowerCase())) {
                to.add(header.getKey(), header.getValue());
            }
        });
        return to;
    }

    private static void unavailable(RoutingContext ctx, Throwable e) {
        FrontRouter.error(ctx, 502, "bad_gateway", "the console/actuator server did not answer: " + e.getMessage());
    }
}
