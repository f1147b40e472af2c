package dev.twinflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SourceAuditTest {

    static BitSet seqs(int... seqs) {
        BitSet b = new BitSet();
        for (int s : seqs) {
            b.set(s);
        }
        return b;
    }

    @Test
    void reportsGapsAsRangesAndCountsDuplicates() {
        Map<String, String> fields = Map.of(
                "sent",
                "10",
                "sent_max",
                "10",
                "received",
                "6",
                "received_max",
                "9",
                "duplicates",
                "1",
                "last_seen",
                "1000",
                "lat:" + Latency.bucket(12),
                "7");
        ObjectNode json = new SourceAudit(fields, seqs(1, 2, 3, 5, 6, 9)).toJson("dev-1");
        assertThat(json.get("sent").asLong()).isEqualTo(10);
        assertThat(json.get("received").asLong()).isEqualTo(6);
        assertThat(json.get("missing").asLong()).isEqualTo(4);
        assertThat(json.get("duplicates").asLong()).isEqualTo(1);
        assertThat(json.get("missing_ranges").toString()).isEqualTo("[[4,4],[7,8],[10,10]]");
        assertThat(json.get("latency_ms_p50").asLong()).isBetween(12L, 14L);
        assertThat(json.get("last_seen").decimalValue()).isEqualByComparingTo("1.000");
    }

    @Test
    void aRecordReceivedBeyondWhatWasSentStillExposesTheHolesBelowIt() {
        Map<String, String> fields = Map.of("sent", "2", "sent_max", "2", "received", "2", "received_max", "5");
        ObjectNode json = new SourceAudit(fields, seqs(1, 5)).toJson("s");
        assertThat(json.get("missing").asLong()).isEqualTo(3);
        assertThat(json.get("missing_ranges").toString()).isEqualTo("[[2,4]]");
        assertThat(json.get("latency_ms_p50").isNull()).isTrue();
    }

    @Test
    void redisBitmapsCountBitsFromTheHighBitOfTheFirstByte() {
        // SETBIT k 1 1, SETBIT k 9 1: 0b0100_0000, 0b0100_0000
        BitSet bits = SourceAudit.bits(new byte[] {0x40, 0x40});
        assertThat(bits.stream().toArray()).containsExactly(1, 9);
    }

    @Test
    void latencyPercentilesComeFromBucketsWithinAFifth() {
        TreeMap<Integer, Long> buckets = new TreeMap<>();
        for (long ms = 1; ms <= 1000; ms++) {
            buckets.merge(Latency.bucket(ms), 1L, Long::sum);
        }
        assertThat(Latency.percentile(buckets, 50)).isBetween(500L, 600L);
        assertThat(Latency.percentile(buckets, 99)).isBetween(990L, 1200L);
        assertThat(Latency.percentile(new TreeMap<>(), 50)).isEqualTo(-1);
    }
}
