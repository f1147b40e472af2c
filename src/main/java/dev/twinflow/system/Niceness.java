package dev.twinflow.system;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lowers the CPU priority (the nice value) of background work through libc's {@code setpriority}, so
 * that on a busy machine the acknowledged paths (ingest, receive) get the cores first and the
 * background catches up when they are free. Linux keeps a nice value per thread: a thread lowers
 * itself, a process is lowered thread by thread (the threads it starts later inherit it). Raising a
 * priority needs privileges and is never tried; where libc is not there (not Linux), nothing changes.
 */
public final class Niceness {

    private static final int PRIO_PROCESS = 0;
    /** Linux's policy for work that runs only on a core nothing else wants ({@code sched(7)}). */
    static final int SCHED_IDLE = 5;

    private static final LibC LIBC = load();

    private Niceness() {}

    interface LibC extends Library {
        int setpriority(int which, int who, int prio);

        int sched_setscheduler(int pid, int policy, int[] param);
    }

    private static LibC load() {
        try {
            return Platform.isLinux() ? Native.load("c", LibC.class) : null;
        } catch (Throwable e) {
            return null;
        }
    }

    /** True where priorities can be lowered (Linux with libc reachable). */
    public static boolean available() {
        return LIBC != null;
    }

    /** Lowers the calling thread to {@code nice}; false where that was not possible. */
    public static boolean lowerThisThread(int nice) {
        return lowerThisThread(nice, false);
    }

    /**
     * Lowers the calling thread to {@code nice} and, with {@code idle}, to the {@code SCHED_IDLE} policy:
     * it then runs only where a core has nothing else to do, and any other thread that wakes takes the
     * core at once (a nice value only shrinks its share, and the scheduler may let it finish its slice
     * first). False where that was not possible.
     */
    public static boolean lowerThisThread(int nice, boolean idle) {
        return lower(0, nice, idle);
    }

    private static boolean lower(int tid, int nice, boolean idle) {
        if (LIBC == null || nice <= 0) {
            return false;
        }
        boolean lowered = LIBC.setpriority(PRIO_PROCESS, tid, nice) == 0;
        return idle ? LIBC.sched_setscheduler(tid, SCHED_IDLE, new int[] {0}) == 0 && lowered : lowered;
    }

    /** Lowers every thread of process {@code pid} to {@code nice}; returns how many were lowered. */
    public static int lowerProcess(long pid, int nice) {
        return lowerProcess(pid, nice, false);
    }

    /**
     * Lowers every thread of process {@code pid} to {@code nice} and, with {@code idle}, to {@code
     * SCHED_IDLE} (see {@link #lowerThisThread(int, boolean)}); returns how many were lowered.
     */
    public static int lowerProcess(long pid, int nice, boolean idle) {
        if (LIBC == null || nice <= 0) {
            return 0;
        }
        List<Integer> tasks;
        try (Stream<Path> list = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks = list.map(p -> Integer.parseInt(p.getFileName().toString())).toList();
        } catch (IOException | NumberFormatException e) {
            tasks = List.of((int) pid);
        }
        int lowered = 0;
        for (int tid : tasks) {
            if (lower(tid, nice, idle)) {
                lowered++;
            }
        }
        return lowered;
    }
}
