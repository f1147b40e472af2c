package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendLogTest {

    @TempDir
    Path dir;

    private static byte[] record(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode readAll(AppendLog log) throws IOException {
        return Json.MAPPER.readTree(log.readJsonArray(0, Integer.MAX_VALUE));
    }

    @Test
    void returnsRecordsInAppendOrderWithTheirIndexes() throws Exception {
        try (AppendLog log = new AppendLog(dir.resolve("a.jsonl"), true)) {
            assertThat(log.append(List.of(record("{\"n\":0}"), record("{\"n\":1}")))
                            .get())
                    .isZero();
            assertThat(log.append(List.of(record("{\"n\":2}"))).get()).isEqualTo(2);

            JsonNode all = readAll(log);
            assertThat(all).hasSize(3);
            assertThat(all.get(2).get("n").asInt()).isEqualTo(2);
            assertThat(Json.MAPPER
                            .readTree(log.readJsonArray(1, 1))
                            .get(0)
                            .get("n")
                            .asInt())
                    .isEqualTo(1);
            assertThat(new String(log.readJsonArray(3, 10), StandardCharsets.UTF_8))
                    .isEqualTo("[]");
        }
    }

    @Test
    void keepsRecordsAcrossReopenAsPlainJsonLines() throws Exception {
        Path file = dir.resolve("b.jsonl");
        try (AppendLog log = new AppendLog(file, true)) {
            log.append(List.of(record("{\"a\":\"x\\ny\"}"), record("{\"b\":2}")))
                    .get();
        }
        assertThat(Files.readAllLines(file)).containsExactly("{\"a\":\"x\\ny\"}", "{\"b\":2}");
        try (AppendLog log = new AppendLog(file, true)) {
            assertThat(log.size()).isEqualTo(2);
            assertThat(readAll(log).get(0).get("a").asText()).isEqualTo("x\ny");
        }
    }

    @Test
    void dropsATornLastRecordAtOpenAndKeepsItAside() throws Exception {
        Path file = dir.resolve("c.jsonl");
        Files.writeString(file, "{\"n\":0}\n{\"n\":1}\n{\"n\":2,\"tr");
        try (AppendLog log = new AppendLog(file, true)) {
            assertThat(log.size()).isEqualTo(2);
            log.append(List.of(record("{\"n\":3}"))).get();
            assertThat(readAll(log)).hasSize(3);
        }
        assertThat(Files.readAllLines(file)).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":3}");
        try (var aside = Files.list(dir)) {
            Path torn = aside.filter(p -> p.getFileName().toString().startsWith("c.jsonl.torn-"))
                    .findFirst()
                    .orElseThrow();
            assertThat(Files.readString(torn)).isEqualTo("{\"n\":2,\"tr");
        }
    }

    @Test
    void dropsZeroFilledTailLeftByALostWrite() throws Exception {
        Path file = dir.resolve("d.jsonl");
        Files.writeString(file, "{\"n\":0}\n");
        Files.write(file, new byte[4096], StandardOpenOption.APPEND);
        Files.writeString(file, "}\n", StandardOpenOption.APPEND);
        try (AppendLog log = new AppendLog(file, true)) {
            assertThat(log.size()).isEqualTo(1);
        }
        assertThat(Files.size(file)).isEqualTo(8);
    }

    @Test
    void storesEveryRecordOnceUnderConcurrentAppends() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try (AppendLog log = new AppendLog(dir.resolve("e.jsonl"), true)) {
            List<CompletableFuture<Long>> acks = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int thread = t;
                acks.add(CompletableFuture.supplyAsync(
                                () -> IntStream.range(0, 200)
                                        .mapToLong(i -> Json.join(
                                                log.append(List.of(record("{\"t\":" + thread + ",\"i\":" + i + "}")))))
                                        .max()
                                        .orElseThrow(),
                                pool)
                        .thenApply(x -> x));
            }
            acks.forEach(CompletableFuture::join);
            JsonNode all = readAll(log);
            assertThat(all).hasSize(32 * 200);
            Set<String> seen = new HashSet<>();
            all.forEach(n -> seen.add(n.get("t") + ":" + n.get("i")));
            assertThat(seen).hasSize(32 * 200);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void forEachHandsOutEveryRecordWithoutItsNewlineInOrder() throws Exception {
        try (AppendLog log = new AppendLog(dir.resolve("g.jsonl"), true)) {
            List<byte[]> records = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                records.add(record("{\"i\":" + i + ",\"pad\":\"" + "x".repeat(i % 300) + "\"}"));
            }
            log.append(records).get();
            List<String> seen = new ArrayList<>();
            log.forEach(r -> seen.add(new String(r, StandardCharsets.UTF_8)));
            assertThat(seen).hasSize(20_000);
            for (int i = 0; i < 20_000; i += 997) {
                assertThat(seen.get(i)).isEqualTo(new String(records.get(i), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void clearEmptiesTheFileAndIndexesStartAgain() throws Exception {
        Path file = dir.resolve("f.jsonl");
        try (AppendLog log = new AppendLog(file, false)) {
            log.append(List.of(record("{\"n\":0}"), record("{\"n\":1}"))).get();
            log.clear().get();
            assertThat(log.size()).isZero();
            assertThat(Files.size(file)).isZero();
            assertThat(log.append(List.of(record("{\"n\":2}"))).get()).isZero();
            assertThat(readAll(log).get(0).get("n").asInt()).isEqualTo(2);
        }
    }
}
