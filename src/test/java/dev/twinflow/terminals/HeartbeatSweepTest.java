package dev.twinflow.terminals;

import static dev.twinflow.terminals.HeartbeatSweep.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.terminals.HeartbeatSweep.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeartbeatSweepTest {

    static final Instant OPENED = Instant.parse("2026-01-02T03:04:05Z");
    static final Duration HELLO = Duration.ofSeconds(10);
    static final Duration HEARTBEAT = Duration.ofSeconds(75);

    @Test
    void aConnectionWithoutHelloIsClosedOnlyAfterTheHelloTimeout() {
        assertThat(verdict(false, OPENED, OPENED, OPENED.plus(HELLO), HELLO, HEARTBEAT))
                .isEqualTo(Verdict.KEEP);
        assertThat(verdict(false, OPENED, OPENED, OPENED.plus(HELLO).plusMillis(1), HELLO, HEARTBEAT))
                .isEqualTo(Verdict.NO_HELLO);
    }

    @Test
    void aTerminalIsTimedFromItsLastMessageNotFromItsConnection() {
        Instant lastSeen = OPENED.plusSeconds(600);
        assertThat(verdict(true, OPENED, lastSeen, lastSeen.plus(HEARTBEAT), HELLO, HEARTBEAT))
                .isEqualTo(Verdict.KEEP);
        assertThat(verdict(true, OPENED, lastSeen, lastSeen.plus(HEARTBEAT).plusMillis(1), HELLO, HEARTBEAT))
                .isEqualTo(Verdict.SILENT);
    }

    @Test
    void sweepsAQuarterOfTheHeartbeatTimeoutApartWithin50MsAnd1s() {
        assertThat(HeartbeatSweep.period(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(500));
        assertThat(HeartbeatSweep.period(Duration.ofSeconds(75))).isEqualTo(Duration.ofSeconds(1));
        assertThat(HeartbeatSweep.period(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(50));
    }
}
