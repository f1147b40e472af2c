package dev.twinflow.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code java -jar twinflow.jar} in about half the start-up time. Run from the packaged jar, the JVM loads
 * every class out of a jar nested in the jar, and the JDK can keep no class data sharing (CDS) archive
 * of such classes; run from the jar's extracted layout it can (README, Benchmarks). So the JVM that
 * {@code java -jar} starts, seeing the packaged jar, extracts it once into a cache directory (Spring
 * Boot's {@code -Djarmode=tools extract}) and runs the app in a second JVM from there, with the same JVM
 * options and arguments: the first such run writes the archive when it exits, every later one maps it.
 * The first JVM only waits: it passes a stop on (SIGTERM, Ctrl-C) and exits with the app's exit code;
 * the app stops when the first JVM is gone (a {@code kill -9} of it). Uses only the JDK, so that the
 * launching JVM loads little. Off with {@code -Dtwinflow.fast-start=false} or {@code
 * TWINFLOW_FAST_START=false}, and never when the JVM already has an archive or a debugger agent.
 */
public final class FastStart {

    /** System property (or environment variable {@code TWINFLOW_FAST_START}): "false" turns it off. */
    static final String SWITCH = "twinflow.fast-start";
    /** System property: the cache directory (default {@code $XDG_CACHE_HOME/twinflow}, else {@code ~/.cache/twinflow}). */
    static final String CACHE = "twinflow.fast-start.cache";
    /** System property set on the app's JVM: the pid of the JVM that launched it. */
    static final String LAUNCHER = "twinflow.fast-start.launcher";
    /** Extracted copies of other builds of the jar that are kept (the newest), when no JVM uses them. */
    static final int KEEP_OTHER_BUILDS = 1;

    private static final String LOCK = ".in-use";

    private FastStart() {}

    /**
     * Runs the app in a second JVM from the extracted jar when this JVM was started with {@code java -jar}
     * on the packaged jar, and returns that JVM's exit code once it has ended; empty when the app is to
     * run in this JVM.
     */
    public static OptionalInt relaunch(String[] args) {
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        Optional<Path> jar = packagedJar(
                System.getProperty("java.class.path", ""),
                FastStart.class.getProtectionDomain().getCodeSource().getLocation());
        if (jar.isEmpty() || !enabled(System.getProperty(SWITCH), System.getenv(), jvmArgs)) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(run(jar.get(), jvmArgs, args));
        } catch (IOException | UncheckedIOException e) {
            System.err.println("twinflow: starting from the packaged jar (" + e.getMessage() + ")");
            return OptionalInt.empty();
        }
    }

    /** In the app's JVM: stops the app when the JVM that launched it is gone. */
    public static void stopWithLauncher() {
        String launcher = System.getProperty(LAUNCHER);
        if (launcher == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(launcher))
                .ifPresentOrElse(p -> p.onExit().thenRun(FastStart::launcherGone), FastStart::launcherGone);
    }

    private static void launcherGone() {
        System.err.println("twinflow: the JVM that launched this one is gone: stopping");
        System.exit(143);
    }

    /** The packaged jar this JVM runs: the class path is one jar and this class comes from inside it. */
    static Optional<Path> packagedJar(String classPath, URL codeSource) {
        if (codeSource == null
                || !codeSource.toString().matches("(jar:)?nested:.*")
                || !classPath.endsWith(".jar")
                || classPath.contains(File.pathSeparator)) {
            return Optional.empty();
        }
        Path jar = Path.of(classPath).toAbsolutePath();
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }

    /** Off when switched off, or when the JVM's options already choose an archive or attach a debugger. */
    static boolean enabled(String property, Map<String, String> env, List<String> jvmArgs) {
        String value = property != null ? property : env.get("TWINFLOW_FAST_START");
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        return jvmArgs.stream()
                .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile")
                        || a.startsWith("-XX:ArchiveClassesAtExit")
                        || a.startsWith("-Xshare")
                        || a.startsWith("-agentlib:jdwp")
                        || a.startsWith("-Djarmode"));
    }

    /** The directory of one build of the jar: its name, size and time of last change. */
    static Path buildDir(Path cache, Path jar) throws IOException {
        String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        return cache.resolve(name + "-" + Files.size(jar) + "-"
                + Files.getLastModifiedTime(jar).toMillis());
    }

    /** The archive for this JVM build in {@code dir}: an archive only serves the JVM that wrote it. */
    static Path archive(Path dir, String vmVersion) {
        return dir.resolve("app-" + vmVersion.replaceAll("[^A-Za-z0-9._-]", "_") + ".jsa");
    }

    /** The app's JVM: the same options, the archive (or the file to write one to at exit), the same args. */
    static List<String> command(
            Path java,
            List<String> jvmArgs,
            long launcher,
            Path extracted,
            Path archive,
            Path training,
            String[] args) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmArgs);
        if (training == null) {
            command.add("-XX:SharedArchiveFile=" + archive);
        } else {
            command.add("-XX:ArchiveClassesAtExit=" + training);
            // the classes it cannot archive (hundreds, each a warning) are no news to the user
            command.add("-Xlog:cds*=error");
        }
        command.add("-D" + LAUNCHER + "=" + launcher);
        command.add("-jar");
        command.add(extracted.toString());
        command.addAll(List.of(args));
        return command;
    }

    static Path defaultCache(Map<String, String> env, String home) {
        String xdg = env.get("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".cache")).resolve("twinflow");
    }

    private static int run(Path jar, List<String> jvmArgs, String[] args) throws IOException {
        String configured = System.getProperty(CACHE);
        Path cache = configured != null
                ? Path.of(configured)
                : defaultCache(System.getenv(), System.getProperty("user.home"));
        Path dir = buildDir(Files.createDirectories(cache), jar);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path extracted = dir.resolve(jar.getFileName());
        if (!Files.isRegularFile(extracted)) {
            extract(java, jar, dir);
        }
        try (FileChannel lockFile = FileChannel.open(
                        dir.resolve(LOCK),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock inUse = lockFile.lock(0, Long.MAX_VALUE, true)) {
            forgetOldBuilds(cache, dir, jar);
            long pid = ProcessHandle.current().pid();
            Path archive = archive(dir, System.getProperty("java.vm.version"));
            Path training =
                    Files.isRegularFile(archive) ? null : dir.resolve(archive.getFileName() + "." + pid + ".tmp");
            System.err.println(
                    "twinflow: running from " + extracted
                            + (training == null
                                    ? " with the class data sharing archive " + archive.getFileName()
                                    : " (this run writes a class data sharing archive when it exits: later starts are faster)"));
            Process app = new ProcessBuilder(command(java, jvmArgs, pid, extracted, archive, training, args))
                    .inheritIO()
                    .start();
            Runnable keep = training == null ? () -> {} : new Keep(training, archive);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                stop(app);
                                keep.run();
                            },
                            "fast-start-stop"));
            int code = waitFor(app);
            keep.run();
            return code;
        }
    }

    private static int waitFor(Process app) {
        while (true) {
            try {
                return app.waitFor();
            } catch (InterruptedException e) {
                // only a stop ends this JVM's wait: the app's exit
            }
        }
    }

    /** A stop of this JVM stops the app and waits for it (its graceful stop), at most two minutes. */
    private static void stop(Process app) {
        if (!app.isAlive()) {
            return;
        }
        app.destroy();
        try {
            if (!app.waitFor(2, TimeUnit.MINUTES)) {
                app.destroyForcibly();
            }
        } catch (InterruptedException e) {
            app.destroyForcibly();
        }
    }

    /**
     * Once the app has ended, the archive it wrote at its exit becomes the build's archive (nothing, if it
     * wrote none). Run by this JVM's main thread or, when this JVM is being stopped, by its stop hook:
     * whichever comes first.
     */
    private static final class Keep implements Runnable {
        private final Path training;
        private final Path archive;
        private boolean done;

        Keep(Path training, Path archive) {
            this.training = training;
            this.archive = archive;
        }

        @Override
        public synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            try {
                if (Files.isRegularFile(training) && Files.size(training) > 0) {
                    move(training, archive);
                } else {
                    Files.deleteIfExists(training);
                }
            } catch (IOException e) {
                System.err.println("twinflow: the class data sharing archive was not kept (" + e + ")");
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void extract(Path java, Path jar, Path dir) throws IOException {
        Path tmp = dir.resolveSibling(
                dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        System.err.println(
                "twinflow: extracting " + jar.getFileName() + " into " + dir + " (once per build of the jar)");
        Process tools = new ProcessBuilder(
                        java.toString(),
                        "-Djarmode=tools",
                        "-jar",
                        jar.toString(),
                        "extract",
                        "--destination",
                        tmp.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(tools.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = waitFor(tools);
        if (code != 0 || !Files.isRegularFile(tmp.resolve(jar.getFileName()))) {
            deleteTree(tmp);
            throw new IOException("extracting the jar failed (exit " + code + "): " + output.strip());
        }
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another JVM extracted the same build first: use its copy
            deleteTree(tmp);
        }
    }

    /**
     * Deletes extracted copies of other builds of the jar beyond the newest {@link #KEEP_OTHER_BUILDS}, each
     * only when no JVM holds its in-use lock (a running app loads classes from its copy until it stops),
     * and extractions that a killed JVM left.
     */
    private static void forgetOldBuilds(Path cache, Path current, Path jar) throws IOException {
        String prefix = jar.getFileName().toString().replaceFirst("\\.jar$", "") + "-";
        List<Path> others;
        try (Stream<Path> list = Files.list(cache)) {
            others = list.filter(p ->
                            !p.equals(current) && p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p))
                    .sorted(Comparator.comparing(FastStart::lastChange).reversed())
                    .toList();
        }
        int kept = 0;
        for (Path old : others) {
            OptionalLong extractor = extractor(old);
            if (extractor.isPresent()) {
                if (ProcessHandle.of(extractor.getAsLong()).isEmpty()) {
                    deleteTree(old);
                }
            } else if (kept++ >= KEEP_OTHER_BUILDS) {
                deleteUnlessInUse(old);
            }
        }
    }

    /** The pid of the JVM extracting into {@code dir}, if it is an extraction's directory. */
    static OptionalLong extractor(Path dir) {
        String name = dir.getFileName().toString();
        int at = name.lastIndexOf(".tmp-");
        try {
            return at < 0 ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(name.substring(at + 5)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static void deleteUnlessInUse(Path dir) {
        try (FileChannel lockFile = FileChannel.open(
                        dir.resolve(LOCK),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock unused = lockFile.tryLock()) {
            if (unused != null) {
                deleteTree(dir);
            }
        } catch (IOException | OverlappingFileLockException e) {
            // in use, or not ours to delete: kept
        }
    }

    private static long lastChange(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
