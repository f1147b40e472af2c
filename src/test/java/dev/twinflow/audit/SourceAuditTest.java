package dev.twinflow.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SourceAuditTest {

    @Test
    void reportsGapsAsRangesAndCountsDuplicates() {
        SourceAudit audit = new SourceAudit();
        audit.sent(4, 4);
        audit.sent(6, 10);
        for (long seq : new long[] {1, 2, 3, 5, 6, 9, 3}) {
            audit.received(seq, 12, 1_000);
        }
        ObjectNode json = audit.toJson("dev-1");
        assertThat(json.get("sent").asLong()).isEqualTo(10);
        assertThat(json.get("received").asLong()).isEqualTo(6);
        assertThat(json.get("missing").asLong()).isEqualTo(4);
        assertThat(json.get("duplicates").asLong()).isEqualTo(1);
        assertThat(json.get("missing_ranges").toString()).isEqualTo("[[4,4],[7,8],[10,10]]");
        assertThat(json.get("latency_ms_p50").asLong()).isEqualTo(12);
    }

    @Test
    void aRecordReceivedBeyondWhatWasSentStillExposesTheHolesBelowIt() {
        SourceAudit audit = new SourceAudit();
        audit.restoreSent(2, 2); // a snapshot older than the crash
        audit.received(1, -1, 0);
        audit.received(5, -1, 0);
        ObjectNode json = audit.toJson("s");
        assertThat(json.get("missing_ranges").toString()).isEqualTo("[[2,4]]");
        assertThat(json.get("latency_ms_p50").isNull()).isTrue();
    }

    @Test
    void nothingMissingWhenEverythingArrived() {
        SourceAudit audit = new SourceAudit();
        for (long seq = 1; seq <= 1000; seq++) {
            audit.sent(1, seq);
            audit.received(seq, 1, 1);
        }
        assertThat(audit.missing()).isZero();
        assertThat(audit.toJson("s").get("missing_ranges")).isEmpty();
    }
}
