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
