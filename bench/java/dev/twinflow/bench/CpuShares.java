package dev.twinflow.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the CPU went between {@link #start} and {@link #report}: this JVM's threads (grouped by name,
 * digits dropped) from the thread MXBean, and other processes on the machine by command name from
 * {@code /proc} (Linux). Threads that ended in between are not counted.
 */
final class CpuShares {

    private static final double TICK_NS = 1e9 / 100; // USER_HZ
    private static final Map<Long, String> LABELS = new ConcurrentHashMap<>();

    private final Map<Long, Long> threads = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final Map<Long, Long> processes = new HashMap<>();
    private final Map<String, Long> vmThreads = new HashMap<>();
    private long startNanos;
    private long startProcessNanos;

    /** Shows process {@code pid} as {@code label} instead of its command name. */
    static void label(long pid, String label) {
        LABELS.put(pid, label);
    }

    static CpuShares start() {
        CpuShares s = new CpuShares();
        s.startNanos = System.nanoTime();
        s.startProcessNanos = processNanos();
        s.threads.putAll(s.threadCpu());
        s.processes.putAll(processCpu());
        s.vmThreads.putAll(vmThreadCpu());
        return s;
    }

    /** The top groups, as % of one core over the interval. */
    String report(int top) {
        double wall = System.nanoTime() - startNanos;
        Map<String, Double> groups = new HashMap<>();
        threadCpu()
                .forEach((id, ns) -> groups.merge(
                        "jvm " + names.get(id).replaceAll("\\d+", "N"),
                        (ns - threads.getOrDefault(id, 0L)) / wall * 100,
                        Double::sum));
        double jvmThreads =
                groups.values().stream().mapToDouble(Double::doubleValue).sum();
        // the JVM's own threads (the JIT's compilers, the GC's workers) from /proc, by name
        double vm = 0;
        for (Map.Entry<String, Long> e : vmThreadCpu().entrySet()) {
            double share = (e.getValue() - vmThreads.getOrDefault(e.getKey(), 0L)) * TICK_NS / wall * 100;
            groups.merge("jvm " + e.getKey(), share, Double::sum);
            vm += share;
        }
        // threads that ended in between (the publishers of a run)
        groups.put("jvm other (ended threads)", (processNanos() - startProcessNanos) / wall * 100 - jvmThreads - vm);
        Map<Long, Long> after = processCpu();
        Map<Long, String> comms = comms(after.keySet());
        after.forEach((pid, ticks) -> {
            if (pid != ProcessHandle.current().pid()) {
                groups.merge(
                        comms.get(pid), (ticks - processes.getOrDefault(pid, 0L)) * TICK_NS / wall * 100, Double::sum);
            }
        });
        double total = groups.values().stream().mapToDouble(Double::doubleValue).sum();
        return String.format("%.0f%% of a core in all; ", total)
                + groups.entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                        .limit(top)
                        .map(e -> String.format("%s %.0f%%", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", "));
    }

    private static long processNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private Map<Long, Long> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new LinkedHashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                long ns = mx.getThreadCpuTime(info.getThreadId());
                if (ns >= 0) {
                    cpu.put(info.getThreadId(), ns);
                    names.putIfAbsent(info.getThreadId(), info.getThreadName());
                }
            }
        }
        return cpu;
    }

    static final String JIT_THREADS = "C[12] CompilerThre.*";
    static final String GC_THREADS = "(GC Thread|G1 |VM Thread).*";

    /** This JVM's compiler and GC threads' ticks, as "JIT" and "GC" (Linux names: C2 CompilerThre, G1 Conc#N, ...). */
    private static Map<String, Long> vmThreadCpu() {
        long self = ProcessHandle.current().pid();
        return Map.of("JIT", threadTicks(self, JIT_THREADS), "GC", threadTicks(self, GC_THREADS));
    }

    /** utime + stime in ticks of the JIT's compiler threads of process {@code pid} (Linux), 0 without /proc. */
    static long compilerTicks(long pid) {
        return threadTicks(pid, JIT_THREADS);
    }

    /** utime + stime in ticks of the threads of process {@code pid} whose name matches {@code comm}. */
    private static long threadTicks(long pid, String comm) {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .matches(comm)) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException gone) {
                    // ended meanwhile
                }
            }
        } catch (IOException notLinux) {
            // no /proc: counted with the ended threads
        }
        return ticks;
    }

    /** utime + stime in ticks of every process but the kernel's threads. */
    private static Map<Long, Long> processCpu() {
        Map<Long, Long> cpu = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    if (ticks > 0) {
                        cpu.put(Long.parseLong(p.getFileName().toString()), ticks);
                    }
                } catch (IOException | RuntimeException gone) {
                    // ended meanwhile
                }
            });
        } catch (IOException notLinux) {
            // no /proc: only this JVM's threads
        }
        return cpu;
    }

    private static Map<Long, String> comms(Iterable<Long> pids) {
        Map<Long, String> comms = new HashMap<>();
        for (long pid : pids) {
            try {
                comms.put(
                        pid,
                        LABELS.containsKey(pid)
                                ? LABELS.get(pid)
                                : Files.readString(Path.of("/proc", Long.toString(pid), "comm"))
                                        .trim());
            } catch (IOException gone) {
                comms.put(pid, "pid " + pid);
            }
        }
        return comms;
    }
}
