package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twinflow.ChildApp;
import dev.twinflow.TestHttp;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app as a user starts it (a child JVM), its seed paths asked from the first moment its port
 * accepts: 503 with Retry-After while routes are starting, never a 404 for a path that exists, and
 * readiness DOWN until they answer.
 */
class StartupGateIT {

    @TempDir
    Path dir;

    /** The seed paths and what each answers once the app is up. */
    private static final Map<String, Integer> SEED_PATHS = new LinkedHashMap<>(Map.of(
            "GET /data", 200,
            "GET /messages", 200,
            "GET /metrics", 200,
            "POST /get_data/", 200));

    private static TestHttp.Answer ask(TestHttp http, String request) {
        String[] methodAndPath = request.split(" ", 2);
        return methodAndPath[0].equals("GET")
                ? http.get(methodAndPath[1])
                : http.post(methodAndPath[1], "{\"id\":\"no-such-id\"}");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void seedPathsAnswer503WithRetryAfterUntilTheirRoutesRunAndNever404() throws Exception {
        try (ChildApp app = ChildApp.launch(dir.resolve("data"), dir.resolve("app.log"), List.of())) {
            TestHttp http = new TestHttp(app.port());
            await("the port accepts")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(20))
                    .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                    .until(() -> http.get("/actuator/health/liveness").status() > 0);

            Map<String, TreeMap<Integer, Integer>> seen = new LinkedHashMap<>(); // request → status → count
            List<String> bad503s = new ArrayList<>();
            List<Integer> readinessWhileGated = new ArrayList<>();
            // every answer from the first accept on is kept: the loop is the sample, not just a wait
            boolean allUp;
            try {
                allUp = await("every seed path answers as expected")
                        .atMost(Duration.ofSeconds(120))
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(50))
                        .until(
                                () -> {
                                    boolean up = true;
                                    boolean gated = false;
                                    for (Map.Entry<String, Integer> path : SEED_PATHS.entrySet()) {
                                        TestHttp.Answer a = ask(http, path.getKey());
                                        seen.computeIfAbsent(path.getKey(), k -> new TreeMap<>())
                                                .merge(a.status(), 1, Integer::sum);
                                        if (a.status() == 503) {
                                            gated = true;
                                            if (a.header("Retry-After") == null
                                                    || a.json() == null
                                                    || !a.json().has("error")) {
                                                bad503s.add(path.getKey() + ": "
                                                        + a.headers().map() + " " + a.body());
                                            }
                                        }
                                        up &= a.status() == path.getValue();
                                    }
                                    if (gated) {
                                        readinessWhileGated.add(http.get("/actuator/health/readiness")
                                                .status());
                                    }
                                    return up;
                                },
                                up -> up);
            } catch (ConditionTimeoutException e) {
                allUp = false; // reported below, with every status seen
            }
            System.out.println("statuses from the first accept: " + seen);

            assertThat(allUp)
                    .as("every seed path answered as expected within 120 s: %s", seen)
                    .isTrue();
            seen.forEach((request, statuses) -> assertThat(statuses.keySet())
                    .as("statuses of %s", request)
                    .doesNotContain(404)
                    .isSubsetOf(503, SEED_PATHS.get(request)));
            // Tomcat opens its port seconds before the routes have started: that window is what is gated
            assertThat(readinessWhileGated)
                    .as("readiness while the paths answered 503")
                    .isNotEmpty();
            assertThat(readinessWhileGated.get(0))
                    .as("readiness at the first gated answer")
                    .isEqualTo(503);
            // the one 200 there may be is the moment the gate opened, between a path's answer and the probe
            assertThat(readinessWhileGated.stream().filter(s -> s != 503).count())
                    .as("readiness UP while gated: %s", readinessWhileGated)
                    .isLessThanOrEqualTo(1);
            assertThat(bad503s).as("503s without Retry-After or a JSON error").isEmpty();
            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        }
    }
}
