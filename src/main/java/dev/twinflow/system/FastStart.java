package dev.twinflow.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar twinflow.jar} in about half the start-up time. Run from the packaged jar, the JVM loads
 * every class out of a jar nested in the jar, and the JDK can keep no class data sharing (CDS) archive
 * of such classes; run from the jar's extracted layout it can (README, Benchmarks). So the JVM that
 * {@code java -jar} starts, seeing the packaged jar, extracts it once into a cache directory (Spring
 * Boot's {@code -Djarmode=tools extract}) and runs the app in a second JVM from there, with the same JVM
 * options and arguments: the first such run writes the archive when it exits, every later one maps it.
 * The first JVM only waits: it passes a stop on (SIGTERM, Ctrl-C) and exits with the app's exit code;
 * the app stops when the first JVM is gone (a {@code kill -9} of it). Starts no Spring context, so that
 * the launching JVM loads little. Off with {@code -Dtwinflow.fast-start=false} or {@code
 * TWINFLOW_FAST_START=false}, and never when the JVM already has an archive, a debugger, an agent or a flight recording.
 */
public final class FastStart {

    /** System property (or environment variable {@code TWINFLOW_FAST_START}): "false" turns it off. */
    static final String SWITCH = "twinflow.fast-start";
    /** System property: the cache directory (default {@code $XDG_CACHE_HOME/twinflow}, else {@code ~/.cache/twinflow}). */
    static final String CACHE = "twinflow.fast-start.cache";
    /** System property set on the app's JVM: the pid of the JVM that launched it. */
    static final String LAUNCHER = "twinflow.fast-start.launcher";

    private FastStart() {}

    /**
     * Runs the app in a second JVM from the extracted jar when this JVM was started with {@code java -jar}
     * on the packaged jar, and returns that JVM's exit code once it has ended; empty when the app is to
     * run in this JVM.
     */
    public static OptionalInt relaunch(String[] args) {
        Optional<Path> jar = packagedJar(
                System.getProperty("java.class.path", ""),
                String.valueOf(
                        FastStart.class.getProtectionDomain().getCodeSource().getLocation()));
        if (jar.isEmpty()) {
            return OptionalInt.empty();
        }
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (!enabled(System.getProperty(SWITCH), System.getenv(), jvmArgs)) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(run(jar.get(), jvmArgs, args));
        } catch (IOException | UncheckedIOException e) {
            System.err.println("twinflow: no fast start (" + e.getMessage() + "): running from the packaged jar");
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
    static Optional<Path> packagedJar(String classPath, String codeSource) {
        if (!codeSource.matches("(jar:)?nested:.*")
                || !classPath.endsWith(".jar")
                || classPath.contains(File.pathSeparator)) {
            return Optional.empty();
        }
        Path jar = Path.of(classPath).toAbsolutePath();
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }

    /**
     * Off when switched off, or when the JVM's options already choose an archive, or attach a debugger, an
     * agent or a flight recording (meant for the app: this JVM runs it itself).
     */
    static boolean enabled(String property, Map<String, String> env, List<String> jvmArgs) {
        String value = property != null ? property : env.get("TWINFLOW_FAST_START");
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        return jvmArgs.stream()
                .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile")
                        || a.startsWith("-XX:ArchiveClassesAtExit")
                        || a.startsWith("-Xshare")
                        || a.startsWith("-agent")
                        || a.startsWith("-javaagent")
                        || a.startsWith("-XX:StartFlightRecording")
                        || a.startsWith("-Djarmode"));
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
        Path dir = ExtractedJars.buildDir(Files.createDirectories(cache), jar);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path extracted = dir.resolve(jar.getFileName());
        if (!Files.isRegularFile(extracted)) {
            ExtractedJars.extract(java, jar, dir);
        }
        try (FileChannel lockFile = FileChannel.open(
                        dir.resolve(ExtractedJars.LOCK),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock inUse = lockFile.lock(0, Long.MAX_VALUE, true)) {
            ExtractedJars.forgetOldBuilds(cache, dir, jar);
            long pid = ProcessHandle.current().pid();
            Path archive = ExtractedJars.archive(dir, System.getProperty("java.vm.version"));
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
            // once the app has ended, what it wrote at its exit becomes the build's archive: done by this
            // thread or, when this JVM is being stopped, by its stop hook, whichever comes first
            AtomicBoolean kept = new AtomicBoolean(training == null);
            Runnable keep = () -> {
                if (!app.isAlive() && kept.compareAndSet(false, true)) {
                    ExtractedJars.keepArchive(training, archive, app.exitValue());
                }
            };
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

    static int waitFor(Process app) {
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
}
