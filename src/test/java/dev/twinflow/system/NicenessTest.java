package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The background priority on Linux: read back from /proc, per thread and for every thread of a process. */
class NicenessTest {

    @BeforeEach
    void linux() {
        if (!Niceness.available()) {
            System.out.println("NicenessTest skipped: not Linux or no libc through JNA");
        }
        Assumptions.assumeTrue(Niceness.available(), "setpriority needs Linux");
    }

    /** Field 19 of /proc/.../stat: the nice value. */
    static int nice(Path stat) throws Exception {
        String s = Files.readString(stat);
        return Integer.parseInt(s.substring(s.lastIndexOf(')') + 2).split(" ")[16]);
    }

    /** Field 41 of /proc/.../stat: the scheduling policy. */
    static int policy(Path stat) throws Exception {
        String s = Files.readString(stat);
        return Integer.parseInt(s.substring(s.lastIndexOf(')') + 2).split(" ")[38]);
    }

    @Test
    void anIdleBackgroundThreadTakesTheIdlePolicyAndLeavesTheOthersAlone() throws Exception {
        int mine = policy(Path.of("/proc/thread-self/stat"));
        AtomicReference<int[]> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                assertThat(Niceness.lowerThisThread(19, true)).isTrue();
                Path stat = Path.of("/proc/thread-self/stat");
                seen.set(new int[] {policy(stat), nice(stat)});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        t.join();
        assertThat(seen.get()).containsExactly(Niceness.SCHED_IDLE, 19);
        assertThat(policy(Path.of("/proc/thread-self/stat"))).isEqualTo(mine).isNotEqualTo(Niceness.SCHED_IDLE);
    }

    @Test
    void aProcessTakesTheIdlePolicyThreadByThread() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(Niceness.lowerProcess(child.pid(), 5, true)).isGreaterThanOrEqualTo(1);
            assertThat(policy(Path.of("/proc", Long.toString(child.pid()), "stat")))
                    .isEqualTo(Niceness.SCHED_IDLE);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aThreadLowersItselfAndNoOtherThread() throws Exception {
        int mine = nice(Path.of("/proc/thread-self/stat"));
        AtomicReference<Integer> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                assertThat(Niceness.lowerThisThread(Math.min(19, mine + 7))).isTrue();
                seen.set(nice(Path.of("/proc/thread-self/stat")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        t.join();
        assertThat(seen.get()).isEqualTo(Math.min(19, mine + 7));
        assertThat(nice(Path.of("/proc/thread-self/stat"))).isEqualTo(mine);
    }

    @Test
    void aProcessIsLoweredThreadByThread() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(Niceness.lowerProcess(child.pid(), 12)).isGreaterThanOrEqualTo(1);
            assertThat(nice(Path.of("/proc", Long.toString(child.pid()), "stat")))
                    .isEqualTo(12);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void zeroLeavesThePriorityAlone() {
        assertThat(Niceness.lowerThisThread(0)).isFalse();
        assertThat(Niceness.lowerProcess(ProcessHandle.current().pid(), 0)).isZero();
    }
}
