package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

class BatchedHttpComponentTest {

    private Vertx vertx;
    private HttpServer server;
    private CamelContext camel;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    private final ApplicationAvailabilityBean availability = new ApplicationAvailabilityBean();
    private SecurityProperties securityProperties = new SecurityProperties(false, true, Map.of());

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        camel = new DefaultCamelContext();
        ready(ReadinessState.ACCEPTING_TRAFFIC);
    }

    private void ready(ReadinessState state) {
        availability.onApplicationEvent(new AvailabilityChangeEvent<>(this, state));
    }

    @AfterEach
    void stop() throws Exception {
        camel.stop();
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The HTTP front as the app has it (gate, logins, 1 KiB body limit) with one batched route. */
    private void route(String uri, org.apache.camel.Processor processor) throws Exception {
        UserDetailsService users = name -> {
            if (!name.equals("reader")) {
                throw new UsernameNotFoundException(name);
            }
            return User.withUsername("reader")
                    .password("{noop}r")
                    .roles("READER")
                    .build();
        };
        FrontSecurity security = new FrontSecurity(
                securityProperties, users, PasswordEncoderFactories.createDelegatingPasswordEncoder());
        FrontRouter front = new FrontRouter(vertx, 1024, availability, new ServletForward(vertx), security);
        server = vertx.createHttpServer()
                .requestHandler(front::accept)
                .listen(0)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        camel.addComponent("batched-http", new BatchedHttpComponent(front.camelRouter(), front));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("batched").process(processor);
            }
        });
        camel.start();
    }

    private CompletableFuture<HttpResponse<String>> post(String path, String body) {
        return client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code n} concurrent POSTs to /echo with bodies {@code prefix0}, {@code prefix1}, ... */
    private List<CompletableFuture<HttpResponse<String>>> postAll(int n, String prefix) {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(post("/echo", prefix + i));
        }
        return sent;
    }

    /** Each body echoed back as {"echo": body}, after a pause that lets requests pile up. */
    @SuppressWarnings("unchecked")
    private void echo(Exchange exchange) throws Exception {
        List<byte[]> bodies = exchange.getIn().getBody(List.class);
        batchSizes.add(bodies.size());
        Thread.sleep(30);
        List<HttpReply> replies = new ArrayList<>();
        for (byte[] b : bodies) {
            replies.add(HttpReply.ok(
                    Json.bytes(Json.MAPPER.createObjectNode().put("echo", new String(b, StandardCharsets.UTF_8)))));
        }
        exchange.getMessage().setBody(replies);
    }

    @Test
    void answersEveryConcurrentRequestWithItsOwnReplyAndBatchesThem() throws Exception {
        route("batched-http:/echo", this::echo);
        List<CompletableFuture<HttpResponse<String>>> sent = postAll(300, "request-");
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> answer = sent.get(i).get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode json = Json.MAPPER.readTree(answer.body());
            assertThat(json.get("echo").asText()).isEqualTo("request-" + i);
        }
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);
        assertThat(batchSizes).hasSizeLessThan(300);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).max().orElse(0))
                .isGreaterThan(1);
    }

    @Test
    void neverPutsMoreThanMaxBatchRequestsInOneExchange() throws Exception {
        route("batched-http:/echo?maxBatch=7", this::echo);
        List<CompletableFuture<HttpResponse<String>>> sent = postAll(100, "r");
        for (CompletableFuture<HttpResponse<String>> s : sent) {
            assertThat(s.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 7));
    }

    @Test
    void answersOnceTheRoutesFutureCompletes() throws Exception {
        CountDownLatch durable = new CountDownLatch(1);
        route("batched-http:/later", exchange -> {
            int n = exchange.getIn().getBody(List.class).size();
            exchange.getMessage().setBody(CompletableFuture.supplyAsync(() -> {
                try {
                    durable.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                List<HttpReply> replies = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    replies.add(HttpReply.ok("{\"done\":true}".getBytes(StandardCharsets.UTF_8)));
                }
                return replies;
            }));
        });
        CompletableFuture<HttpResponse<String>> answer = post("/later", "x");
        Thread.sleep(300);
        assertThat(answer).isNotDone();
        durable.countDown();
        assertThat(answer.get(10, TimeUnit.SECONDS).body()).isEqualTo("{\"done\":true}");
    }

    @Test
    void answersEveryRequestOfAFailedBatchWithTheJsonError() throws Exception {
        route("batched-http:/fail", exchange -> {
            String first =
                    new String((byte[]) exchange.getIn().getBody(List.class).get(0), StandardCharsets.UTF_8);
            if (first.equals("refuse")) {
                throw new ApiException(409, "conflict", "refused on purpose");
            }
            if (first.equals("short")) {
                exchange.getMessage().setBody(List.of());
                return;
            }
            throw new IllegalStateException("broken on purpose");
        });

        HttpResponse<String> refused = post("/fail", "refuse").get(10, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(Json.MAPPER.readTree(refused.body()).get("detail").asText()).isEqualTo("refused on purpose");

        HttpResponse<String> broken = post("/fail", "boom").get(10, TimeUnit.SECONDS);
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(Json.MAPPER.readTree(broken.body()).get("error").asText()).isEqualTo("internal_error");
        assertThat(Json.MAPPER.readTree(broken.body()).get("detail").asText()).isEqualTo("broken on purpose");

        HttpResponse<String> wrongSize = post("/fail", "short").get(10, TimeUnit.SECONDS);
        assertThat(wrongSize.statusCode()).isEqualTo(500);
        assertThat(wrongSize.body()).contains("instead of one reply per request");

        // the route is still there for the next request
        assertThat(post("/fail", "refuse").get(10, TimeUnit.SECONDS).statusCode())
                .isEqualTo(409);
    }

    @Test
    void refusesOtherMethodsAndBodiesOverTheLimit() throws Exception {
        route("batched-http:/echo", this::echo);
        HttpResponse<String> get = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/echo"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(post("/echo", "x".repeat(4096)).get(10, TimeUnit.SECONDS).statusCode())
                .isEqualTo(413);
        assertThat(batchSizes).isEmpty();
    }

    @Test
    void tellsRequestsThatNeverStartedToRetryWhenTheRouteStops() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        route("batched-http:/slow?batchesInFlight=1", exchange -> {
            int n = exchange.getIn().getBody(List.class).size();
            started.countDown();
            release.await(30, TimeUnit.SECONDS);
            List<HttpReply> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                replies.add(HttpReply.ok("{}".getBytes(StandardCharsets.UTF_8)));
            }
            exchange.getMessage().setBody(replies);
        });
        CompletableFuture<HttpResponse<String>> inFlight = post("/slow", "a");
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<HttpResponse<String>> waiting = post("/slow", "b");
        Thread.sleep(300); // b is queued: the only batch allowed is a's
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                camel.getRouteController().stopRoute("batched");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        release.countDown();
        stopping.get(30, TimeUnit.SECONDS);

        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        HttpResponse<String> retry = waiting.get(10, TimeUnit.SECONDS);
        assertThat(retry.statusCode()).isEqualTo(503);
        assertThat(retry.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void takesAChunkedBodyTheRoutersWay() throws Exception {
        route("batched-http:/echo", this::echo);
        HttpResponse<String> answer = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/echo"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream("chunked".getBytes(StandardCharsets.UTF_8))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(answer.body()).get("echo").asText()).isEqualTo("chunked");
    }

    @Test
    void answers503WithRetryAfterUntilTheAppIsReady() throws Exception {
        route("batched-http:/echo", this::echo);
        ready(ReadinessState.REFUSING_TRAFFIC);
        HttpResponse<String> early = post("/echo", "early").get(10, TimeUnit.SECONDS);
        assertThat(early.statusCode()).isEqualTo(503);
        assertThat(early.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(batchSizes).isEmpty();

        ready(ReadinessState.ACCEPTING_TRAFFIC);
        assertThat(post("/echo", "now").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> postAs(String credentials, String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/echo"))
                        .header(
                                "Authorization",
                                "Basic "
                                        + java.util.Base64.getEncoder()
                                                .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void asksForALoginWhenReadsAreClosed() throws Exception {
        securityProperties = new SecurityProperties(true, false, Map.of());
        route("batched-http:/echo", this::echo);
        assertThat(post("/echo", "anonymous").get(10, TimeUnit.SECONDS).statusCode())
                .isEqualTo(401);
        assertThat(postAs("reader:r", "logged in").statusCode()).isEqualTo(200);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
    }

    @Test
    void refusesAWrongLoginEvenWhereNoneIsNeeded() throws Exception {
        securityProperties = new SecurityProperties(true, true, Map.of());
        route("batched-http:/echo", this::echo);
        assertThat(postAs("reader:wrong", "wrong login").statusCode()).isEqualTo(401);
        assertThat(post("/echo", "anonymous").get(10, TimeUnit.SECONDS).statusCode())
                .isEqualTo(200);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
    }
}
