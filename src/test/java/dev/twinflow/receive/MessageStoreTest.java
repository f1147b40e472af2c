package dev.twinflow.receive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.HttpReply;
import dev.twinflow.system.Json;
import dev.twinflow.system.Paging;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

class MessageStoreTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private MessageStore store(boolean groupCommit) {
        TwinflowProperties twinflow = new TwinflowProperties(
                dir, "node-a", null, new TwinflowProperties.Http(DataSize.ofMegabytes(1), 1000, 100000, 256, 0));
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC);
        return new MessageStore(twinflow, new ReceiveProperties(groupCommit), new Paging(twinflow), clock, meters);
    }

    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(byte[] bytes) throws Exception {
        return Json.MAPPER.readTree(bytes);
    }

    @ParameterizedTest(name = "group commit {0}")
    @ValueSource(booleans = {true, false})
    void answersEachRequestOfABatchInOrderAndStoresOnlyTheObjects(boolean groupCommit) throws Exception {
        try (MessageStore store = store(groupCommit)) {
            store.appendAll(List.of(body("{\"earlier\":true}")));
            List<HttpReply> replies = store.receiveAll(List.of(
                            body("{\"a\":1}"),
                            body("not json"),
                            body("{\"b\":2,\"received_by\":\"spoofed\"}"),
                            body("[1,2]"),
                            new byte[0],
                            body("{\"c\":3}")))
                    .get();

            assertThat(replies).extracting(HttpReply::status).containsExactly(200, 400, 200, 422, 400, 200);
            assertThat(json(replies.get(0).body()).get("index").asLong()).isEqualTo(1);
            assertThat(json(replies.get(2).body()).get("index").asLong()).isEqualTo(2);
            assertThat(json(replies.get(5).body()).get("index").asLong()).isEqualTo(3);
            assertThat(json(replies.get(0).body()).get("received_by").asText()).isEqualTo("node-a");
            assertThat(json(replies.get(0).body()).get("received_at").decimalValue())
                    .isEqualByComparingTo("1700000000.123");
            assertThat(json(replies.get(1).body()).get("error").asText()).isEqualTo("invalid_json");
            assertThat(json(replies.get(3).body()).get("error").asText()).isEqualTo("not_an_object");

            JsonNode stored = json(store.read("0", "10"));
            assertThat(stored).hasSize(4);
            assertThat(stored.get(1).get("a").asInt()).isEqualTo(1);
            assertThat(stored.get(2).get("b").asInt()).isEqualTo(2);
            assertThat(stored.get(2).get("received_by").asText()).isEqualTo("node-a");
            assertThat(stored.get(3).get("c").asInt()).isEqualTo(3);
            assertThat(meters.counter("twinflow.records.received", "via", "http")
                            .count())
                    .isEqualTo(3.0);
        }
    }

    @ParameterizedTest(name = "group commit {0}")
    @ValueSource(booleans = {true, false})
    void answersABatchOfOnlyRefusalsWithoutWriting(boolean groupCommit) throws Exception {
        try (MessageStore store = store(groupCommit)) {
            List<HttpReply> replies =
                    store.receiveAll(List.of(body("1"), body("{"))).get();

            assertThat(replies).extracting(HttpReply::status).containsExactly(422, 400);
            assertThat(store.size()).isZero();
        }
    }
}
