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
    private static final LibC LIBC = load();

    private Niceness() {}

    interface LibC extends Library {
        int setpriority(int which, int who, int prio);
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
        return LIBC != null && nice > 0 && LIBC.setpriority(PRIO_PROCESS, 0, nice) == 0;
    }

    /** Lowers every thread of process {@code pid} to {@code nice}; returns how many were lowered. */
    public static int lowerProcess(long pid, int nice) {
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
            if (LIBC.setpriority(PRIO_PROCESS, tid, nice) == 0) {
                lowered++;
            }
        }
        return lowered;
    }
}
