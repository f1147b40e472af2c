package dev.twinflow.terminals;

import static dev.twinflow.terminals.WsTerminal.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.AppIT;
import dev.twinflow.TestHttp;
import dev.twinflow.embedded.RedisEngine;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Seed 003 against the real WebSocket listener and the real (embedded) redis-server, with short timings.
 *
 * <p>One class over 200 lines on purpose: each IT class boots the whole app and its engines, and these
 * cases share one boot; each case uses its own terminal ids.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "twinflow.terminals.hello-timeout=2s",
            "twinflow.terminals.heartbeat-interval=1s",
            "twinflow.terminals.heartbeat-timeout=2s",
            "twinflow.terminals.command-timeout=3s",
            "twinflow.terminals.status-ttl=2s",
            "twinflow.terminals.config-ttl=2s",
            "twinflow.terminals.max-logs=50",
            "twinflow.terminals.max-frame-size=8KB",
            "twinflow.terminals.max-message-size=16KB",
            "twinflow.terminals.tokens.fixed-1=its-own-token",
            "twinflow.terminals.simulator.status-interval=500ms",
            "twinflow.terminals.simulator.log-interval=200ms"
        })
class TerminalSyncIT extends AppIT {

    @Value("${twinflow.terminals.port}")
    int wsPort;

    @Autowired
    TerminalAuth auth;

    @Autowired
    PendingCommands commands;

    @Autowired
    StringRedisTemplate redis;

    TestHttp http;

    @BeforeEach
    void client() {
        http = new TestHttp(httpPort);
    }

    static ObjectNode status(int cpu) {
        return JSON.createObjectNode().put("cpu_percent", cpu);
    }

    static ObjectNode config(double threshold) {
        return JSON.createObjectNode().put("threshold", threshold).put("mode", "detect");
    }

    static ArrayNode logs(int n) {
        ArrayNode list = JSON.createArrayNode();
        for (int i = 1; i <= n; i++) {
            list.addObject()
                    .put("level", i % 2 == 0 ? "ERROR" : "INFO")
                    .put("message", "line " + i)
                    .put("source", "test")
                    .put("ts", i);
        }
        return list;
    }

    @Test
    @Order(1)
    void simulatedTerminalsAreSyncedIntoRedisAndServedOverHttp() {
        assertThat(http.post("/simulator/terminals/start", "{\"count\":3,\"id_prefix\":\"simA-\"}")
                        .status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode list = http.get("/terminals").json();
            assertThat(StreamSupport.stream(list.spliterator(), false)
                            .filter(t -> t.path("terminal_id").asText().startsWith("simA-"))
                            .filter(t -> t.path("online").asBoolean()))
                    .hasSize(3);
            // seed paths, trailing slash and all
            assertThat(http.get("/terminals/simA-2/config/")
                            .json()
                            .at("/config/terminal_id")
                            .asText())
                    .isEqualTo("simA-2");
            assertThat(http.get("/terminals/simA-2/status/")
                            .json()
                            .at("/status/terminal_id")
                            .asText())
                    .isEqualTo("simA-2");
            assertThat(http.get("/terminals/simA-2/logs/?count=2")
                            .json()
                            .get("count")
                            .asInt())
                    .isEqualTo(2);
        });
        // the seed's keys, with TTLs
        assertThat(redis.getExpire("terminal:simA-1:config")).isBetween(0L, 2L);
        assertThat(redis.getExpire("terminal:simA-1:status")).isBetween(0L, 2L);
        assertThat(redis.getExpire("terminal:simA-1:logs")).isBetween(1L, 1800L);
        assertThat(redis.opsForList().size("terminal:simA-1:logs")).isBetween(1L, 50L);

        JsonNode answer = http.post("/terminals/simA-3/commands", "{\"command\":\"get_config\"}")
                .json();
        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(answer.at("/result/terminal_id").asText()).isEqualTo("simA-3");

        TestHttp.Answer put = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/terminals/simA-3/config"))
                .header("Content-Type", "application/json")
                .header("X-Twinflow-User", "alice")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"threshold\":0.95}")));
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().at("/result/threshold").asDouble()).isEqualTo(0.95);
        JsonNode config = http.get("/terminals/simA-3/config").json();
        assertThat(config.at("/config/threshold").asDouble()).isEqualTo(0.95);
        JsonNode change = http.get("/terminals/simA-3/config/changes").json().get(0);
        assertThat(change.get("changed_by").asText()).isEqualTo("alice");
        assertThat(change.at("/changes/threshold").asDouble()).isEqualTo(0.95);
        assertThat(change.at("/previous/threshold").asDouble()).isEqualTo(0.8);
        assertThat(change.get("success").asBoolean()).isTrue();

        assertThat(http.post("/simulator/terminals/stop", "").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !http.get("/terminals/simA-1").json().get("online").asBoolean());
    }

    @Test
    void helloPullsStatusConfigAndLogsAndCachesTheAnswers() throws Exception {
        try (WsTerminal t = WsTerminal.hello(wsPort, "pull-1", auth.tokenFor("pull-1"))) {
            JsonNode logsCommand = null;
            t.answer("get_status", status(42));
            t.answer("get_config", config(0.5));
            logsCommand = t.answer("get_logs", logs(3));
            assertThat(logsCommand.at("/params/count").asInt()).isEqualTo(100);
            await().untilAsserted(() -> {
                assertThat(http.get("/terminals/pull-1/status")
                                .json()
                                .at("/status/cpu_percent")
                                .asInt())
                        .isEqualTo(42);
                assertThat(http.get("/terminals/pull-1/config")
                                .json()
                                .at("/config/threshold")
                                .asDouble())
                        .isEqualTo(0.5);
                assertThat(http.get("/terminals/pull-1/logs")
                                .json()
                                .get("count")
                                .asInt())
                        .isEqualTo(3);
            });
            // pushed status refreshes the key, pushed logs append
            ObjectNode push = JSON.createObjectNode().put("type", "status");
            push.set("data", status(7));
            t.send(push);
            t.send(JSON.createObjectNode()
                    .put("type", "log")
                    .put("level", "warn")
                    .put("message", "pushed"));
            await().untilAsserted(() -> {
                assertThat(http.get("/terminals/pull-1/status")
                                .json()
                                .at("/status/cpu_percent")
                                .asInt())
                        .isEqualTo(7);
                JsonNode logs = http.get("/terminals/pull-1/logs").json();
                assertThat(logs.get("count").asInt()).isEqualTo(4);
                assertThat(logs.at("/logs/3/message").asText()).isEqualTo("pushed");
                assertThat(logs.at("/logs/3/level").asText()).isEqualTo("WARN");
            });
        }
    }

    @Test
    void cachedStatusAndConfigExpireButTheDurableConfigRemains() throws Exception {
        try (WsTerminal t = WsTerminal.hello(wsPort, "ttl-1", auth.tokenFor("ttl-1"))) {
            t.answerPulls(status(1), config(0.25), logs(1));
            await().until(() -> http.get("/terminals/ttl-1/status").status() == 200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(redis.hasKey("terminal:ttl-1:status")).isFalse();
                assertThat(redis.hasKey("terminal:ttl-1:config")).isFalse();
            });
            assertThat(http.get("/terminals/ttl-1/status").json().get("error").asText())
                    .isEqualTo("status_not_cached");
            JsonNode config = http.get("/terminals/ttl-1/config").json();
            assertThat(config.get("source").asText()).isEqualTo("durable");
            assertThat(config.at("/config/threshold").asDouble()).isEqualTo(0.25);
            assertThat(config.get("updated_at").asText()).isNotBlank();
        }
    }

    @Test
    void pushedLogsAreCappedAndFilteredByLevel() throws Exception {
        try (WsTerminal t = WsTerminal.hello(wsPort, "logs-1", auth.tokenFor("logs-1"))) {
            t.answerPulls(status(1), config(0.1), logs(0));
            for (int i = 1; i <= 70; i++) {
                t.send(JSON.createObjectNode()
                        .put("type", "log")
                        .put("level", i % 10 == 0 ? "ERROR" : "INFO")
                        .put("message", "m" + i)
                        .put("ts", i));
            }
            await().until(() -> http.get("/terminals/logs-1/logs?count=1")
                    .json()
                    .at("/logs/0/message")
                    .asText()
                    .equals("m70"));
            assertThat(redis.opsForList().size("terminal:logs-1:logs")).isEqualTo(50);
            JsonNode all = http.get("/terminals/logs-1/logs?count=1000").json();
            assertThat(all.get("count").asInt()).isEqualTo(50);
            assertThat(all.at("/logs/0/message").asText()).isEqualTo("m21");
            JsonNode errors =
                    http.get("/terminals/logs-1/logs?level=error&count=2").json();
            assertThat(errors.get("logs").findValuesAsText("message")).containsExactly("m60", "m70");
            assertThat(http.get("/terminals/logs-1/logs?count=-1").status()).isEqualTo(400);
        }
    }

    @Test
    void commandRoundTripAnswersWithTheTerminalsResponse() throws Exception {
        try (WsTerminal t = WsTerminal.hello(wsPort, "cmd-1", auth.tokenFor("cmd-1"))) {
            t.answerPulls(status(1), config(0.1), logs(0));
            CompletableFuture<TestHttp.Answer> call = CompletableFuture.supplyAsync(() ->
                    http.post("/terminals/cmd-1/commands", "{\"command\":\"calibrate\",\"params\":{\"axis\":\"x\"}}"));
            JsonNode command = t.next("command");
            assertThat(command.get("command").asText()).isEqualTo("calibrate");
            assertThat(command.at("/params/axis").asText()).isEqualTo("x");
            ObjectNode response = JSON.createObjectNode().put("type", "command_response");
            response.set("id", command.get("id"));
            response.put("command", "calibrate").put("success", false).put("error", "motor busy");
            t.send(response);
            TestHttp.Answer answer = call.get();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().get("success").asBoolean()).isFalse();
            assertThat(answer.json().get("error").asText()).isEqualTo("motor busy");
        }
    }

    @Test
    void aCommandTheTerminalNeverAnswersTimesOutWith504() throws Exception {
        try (WsTerminal t = WsTerminal.hello(wsPort, "mute-1", auth.tokenFor("mute-1"))) {
            t.answerPulls(status(1), config(0.1), logs(0));
            TestHttp.Answer answer =
                    http.post("/terminals/mute-1/commands", "{\"command\":\"get_status\",\"timeout_ms\":300}");
            assertThat(answer.status()).isEqualTo(504);
            assertThat(answer.json().get("error").asText()).isEqualTo("command_timeout");
            // a late answer to it is ignored and counted
            long unknown = commands.unknownResponses();
            JsonNode late = t.next("command");
            ObjectNode response = JSON.createObjectNode().put("type", "command_response");
            response.set("id", late.get("id"));
            response.put("command", "get_status").put("success", true).set("result", status(99));
            t.send(response);
            await().until(() -> commands.unknownResponses() == unknown + 1);
            assertThat(http.get("/terminals/mute-1/status")
                            .json()
                            .at("/status/cpu_percent")
                            .asInt())
                    .isEqualTo(1);
        }
    }

    @Test
    void commandsToOfflineOrUnknownTerminalsAnswer409AndBadBodies4xx() throws Exception {
        try (WsTerminal t = WsTerminal.hello(wsPort, "gone-1", auth.tokenFor("gone-1"))) {
            t.answerPulls(status(1), config(0.1), logs(0));
            assertThat(http.post("/terminals/gone-1/commands", "{\"params\":{}}")
                            .status())
                    .isEqualTo(422);
            assertThat(http.post("/terminals/gone-1/commands", "{not json").status())
                    .isEqualTo(400);
        }
        await().until(() -> !http.get("/terminals/gone-1").json().get("online").asBoolean());
        TestHttp.Answer offline = http.post("/terminals/gone-1/commands", "{\"command\":\"get_status\"}");
        assertThat(offline.status()).isEqualTo(409);
        assertThat(offline.json().get("detail").asText()).contains("offline since");
        assertThat(http.post("/terminals/never-1/commands", "{\"command\":\"get_status\"}")
                        .status())
                .isEqualTo(409);
        assertThat(http.get("/terminals/never-1/status").status()).isEqualTo(404);
    }

    @Test
    void aDisconnectMarksTheTerminalOfflineWithLastSeen() throws Exception {
        WsTerminal t = WsTerminal.hello(wsPort, "off-1", auth.tokenFor("off-1"));
        t.answerPulls(status(1), config(0.1), logs(0));
        JsonNode online = http.get("/terminals/off-1").json();
        assertThat(online.get("online").asBoolean()).isTrue();
        assertThat(online.get("connected_since").asText()).isNotBlank();
        t.close();
        await().untilAsserted(() -> {
            JsonNode offline = http.get("/terminals/off-1").json();
            assertThat(offline.get("online").asBoolean()).isFalse();
            assertThat(offline.get("connected_since").isNull()).isTrue();
            assertThat(offline.get("last_seen").asText()).isNotBlank();
        });
    }

    @Test
    void aTerminalThatStopsSendingHeartbeatsIsClosedAndMarkedOffline() throws Exception {
        try (WsTerminal t = WsTerminal.hello(wsPort, "hb-1", auth.tokenFor("hb-1"))) {
            t.answerPulls(status(1), config(0.1), logs(0));
            // pings every 500 ms keep it online past the 2 s timeout
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(6))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        t.send(JSON.createObjectNode().put("type", "ping"));
                        assertThat(t.next("pong").get("ts").asLong()).isPositive();
                        assertThat(http.get("/terminals/hb-1")
                                        .json()
                                        .get("online")
                                        .asBoolean())
                                .isTrue();
                    });
            // then silence
            WsTerminal.Close close = t.closeCode();
            assertThat(close.code()).isEqualTo(Session.HEARTBEAT_MISSED);
            assertThat(close.reason()).contains("no heartbeat");
            assertThat(http.get("/terminals/hb-1").json().get("online").asBoolean())
                    .isFalse();
        }
    }

    @Test
    void aReconnectingTerminalIsPulledAgainAndReplacesItsOldConnection() throws Exception {
        WsTerminal first = WsTerminal.hello(wsPort, "re-1", auth.tokenFor("re-1"));
        first.answerPulls(status(1), config(0.1), logs(0));
        try (WsTerminal second = WsTerminal.hello(wsPort, "re-1", auth.tokenFor("re-1"))) {
            assertThat(first.closeCode().code()).isEqualTo(Session.REPLACED);
            second.answerPulls(status(2), config(0.2), logs(2));
            await().untilAsserted(() -> assertThat(http.get("/terminals/re-1/status")
                            .json()
                            .at("/status/cpu_percent")
                            .asInt())
                    .isEqualTo(2));
            // the old connection's close did not take the terminal offline
            assertThat(http.get("/terminals/re-1").json().get("online").asBoolean())
                    .isTrue();
        } finally {
            first.close();
        }
    }

    @Test
    void aWrongTokenClosesTheConnectionWithAReasonAndCachesNothing() throws Exception {
        try (WsTerminal t = new WsTerminal(wsPort)) {
            t.send(JSON.createObjectNode()
                    .put("type", "hello")
                    .put("terminal_id", "bad-1")
                    .put("token", "guess"));
            WsTerminal.Close close = t.closeCode();
            assertThat(close.code()).isEqualTo(1008);
            assertThat(close.reason()).isEqualTo("authentication failed for terminal 'bad-1'");
        }
        // a terminal with its own token cannot use the HMAC one, and vice versa
        try (WsTerminal t = new WsTerminal(wsPort)) {
            t.send(JSON.createObjectNode()
                    .put("type", "hello")
                    .put("terminal_id", "fixed-1")
                    .put("token", "its-own-token"));
            assertThat(t.next("welcome").get("terminal_id").asText()).isEqualTo("fixed-1");
        }
        try (WsTerminal t = new WsTerminal(wsPort)) {
            t.send(JSON.createObjectNode().put("type", "status").put("data", "sneaky"));
            assertThat(t.closeCode().reason()).startsWith("not authenticated");
        }
        try (WsTerminal t = new WsTerminal(wsPort)) {
            assertThat(t.closeCode().reason()).contains("no hello within");
        }
        assertThat(redis.keys("terminal:bad-1:*")).isEmpty();
        assertThat(redis.opsForHash().hasKey("terminals", "bad-1")).isFalse();
        assertThat(http.get("/terminals/bad-1").status()).isEqualTo(404);
    }

    @Test
    void malformedOrUnknownMessagesGetAnErrorAndTheConnectionStays() throws Exception {
        try (WsTerminal t = WsTerminal.hello(wsPort, "noisy-1", auth.tokenFor("noisy-1"))) {
            t.answerPulls(status(1), config(0.1), logs(0));
            t.sendText("{not json");
            assertThat(t.next("error").get("error").asText()).isEqualTo("invalid_json");
            t.sendText("[1,2]");
            assertThat(t.next("error").get("error").asText()).isEqualTo("invalid_message");
            t.send(JSON.createObjectNode().put("type", "teleport"));
            assertThat(t.next("error").get("detail").asText()).contains("teleport");
            t.send(JSON.createObjectNode().put("type", "log").put("level", "INFO"));
            assertThat(t.next("error").get("error").asText()).isEqualTo("invalid_log");
            t.send(JSON.createObjectNode().put("type", "status").put("data", "not an object"));
            assertThat(t.next("error").get("error").asText()).isEqualTo("invalid_status");
            t.send(JSON.createObjectNode().put("type", "ping"));
            assertThat(t.next("pong")).isNotNull();
            assertThat(t.closed).isNotDone();
        }
    }

    @Test
    void anOversizedFrameClosesTheConnectionWith1009() throws Exception {
        try (WsTerminal t = WsTerminal.hello(wsPort, "big-1", auth.tokenFor("big-1"))) {
            t.answerPulls(status(1), config(0.1), logs(0));
            t.sendText("{\"type\":\"log\",\"level\":\"INFO\",\"message\":\"" + "x".repeat(20_000) + "\"}");
            // Vert.x answers 1009 (message too big) and drops the connection; a client still writing
            // the rest of its frame may see the TCP reset first (1006)
            assertThat(t.closeCode().code()).isIn(1009, 1006);
        }
        assertThat(http.get("/terminals/big-1/logs").json().get("count").asInt())
                .isZero();
    }

    @Autowired
    RedisEngine redisEngine;

    @Test
    @Order(Integer.MAX_VALUE)
    void readsAnswer503WhileRedisIsDown() throws Exception {
        try (WsTerminal t = WsTerminal.hello(wsPort, "down-1", auth.tokenFor("down-1"))) {
            t.answerPulls(status(1), config(0.1), logs(0));
            await().until(() -> http.get("/terminals/down-1/status").status() == 200);
            redisEngine.close();
            // the socket side keeps working (heartbeats are answered), writes fail and are counted
            t.send(JSON.createObjectNode().put("type", "ping"));
            assertThat(t.next("pong")).isNotNull();
            for (String path : new String[] {"/terminals", "/terminals/down-1/status", "/terminals/down-1/logs"}) {
                TestHttp.Answer a = http.get(path);
                assertThat(a.status()).as(path).isEqualTo(503);
                assertThat(a.json().get("error").asText()).isEqualTo("redis_unavailable");
            }
        }
    }
}
