package dev.twinflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MessageTailTest {

    /** A message log as MessageStore pages it, with a counter of page reads. */
    static final class Log implements MessageTail.Pages {
        final List<String> records = new ArrayList<>();
        final AtomicInteger reads = new AtomicInteger();
        int stamp;

        void add(int n) {
            for (int i = 0; i < n; i++) {
                records.add("{\"n\":" + records.size() + ",\"received_at\":" + (stamp++) + "}");
            }
        }

        @Override
        public byte[] read(long offset, int limit) {
            reads.incrementAndGet();
            int from = (int) Math.min(offset, records.size());
            int to = (int) Math.min(records.size(), offset + limit);
            return ("[" + String.join(",", records.subList(from, to)) + "]").getBytes(StandardCharsets.UTF_8);
        }
    }

    final Log log = new Log();

    static List<Integer> numbers(List<JsonNode> records) {
        return records.stream().map(r -> r.get("n").asInt()).toList();
    }

    @Test
    void startsWithTheNewestRecordsThenReadsOnlyWhatIsNew() {
        log.add(25);
        MessageTail tail = new MessageTail(log, 10);

        assertThat(numbers(tail.poll())).containsExactly(15, 16, 17, 18, 19, 20, 21, 22, 23, 24);
        assertThat(tail.poll()).isEmpty();
        log.add(3);
        assertThat(numbers(tail.poll())).containsExactly(25, 26, 27);
    }

    @Test
    void anEmptyLogGivesNothingUntilRecordsArrive() {
        MessageTail tail = new MessageTail(log, 10);

        assertThat(tail.poll()).isEmpty();
        log.add(2);
        assertThat(numbers(tail.poll())).containsExactly(0, 1);
    }

    @Test
    void skipsToTheNewestWhenMoreArrivedThanItTakesAtOnce() {
        MessageTail tail = new MessageTail(log, 10);
        log.add(5);
        tail.poll();

        log.add(1000);

        assertThat(numbers(tail.poll())).containsExactly(995, 996, 997, 998, 999, 1000, 1001, 1002, 1003, 1004);
    }

    @Test
    void noticesALogClearedAndRefilledPastWhereItWas() {
        MessageTail tail = new MessageTail(log, 100);
        log.add(5);
        tail.poll();

        log.records.clear(); // POST /clear_messages
        log.add(8);

        assertThat(numbers(tail.poll())).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(tail.poll()).isEmpty();
    }

    @Test
    void findsTheEndOfAMillionRecordsInAFewReads() {
        log.add(1_000_000);
        MessageTail tail = new MessageTail(log, 100);

        assertThat(tail.poll()).hasSize(100);
        assertThat(log.reads.get()).isLessThan(50);
    }
}
