package dev.twinflow.system;

import java.io.IOException;
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
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.springframework.util.FileSystemUtils;

/**
 * The cache {@link FastStart} runs the app from: one directory per build of the jar (its extracted
 * layout, the class data sharing archives written for it), extracted once, shared by every JVM started
 * from that build, and deleted once two newer builds have been run and no JVM uses it.
 */
final class ExtractedJars {

    /** Extracted copies of other builds of the jar that are kept (the newest), when no JVM uses them. */
    static final int KEEP_OTHER_BUILDS = 1;

    /** A file each JVM running from a build's directory holds a shared lock on. */
    static final String LOCK = ".in-use";

    private ExtractedJars() {}

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

    /**
     * The archive a run wrote at its exit becomes the build's archive, if the run ended well (exit code 0,
     * or stopped by SIGINT or SIGTERM: 130, 143); one from a start that failed (fewer classes) is dropped,
     * and the next run writes another.
     */
    static void keepArchive(Path training, Path archive, int exitCode) {
        try {
            boolean ended = exitCode == 0 || exitCode == 130 || exitCode == 143;
            if (ended && Files.isRegularFile(training) && Files.size(training) > 0) {
                move(training, archive);
            } else {
                Files.deleteIfExists(training);
            }
        } catch (IOException e) {
            System.err.println("twinflow: the class data sharing archive was not kept (" + e + ")");
        }
    }

    static void extract(Path java, Path jar, Path dir) throws IOException {
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
        int code = FastStart.waitFor(tools);
        if (code != 0 || !Files.isRegularFile(tmp.resolve(jar.getFileName()))) {
            FileSystemUtils.deleteRecursively(tmp);
            throw new IOException("extracting the jar failed (exit " + code + "): " + output.strip());
        }
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another JVM extracted the same build first: use its copy
            FileSystemUtils.deleteRecursively(tmp);
        }
    }

    /**
     * Deletes extracted copies of other builds of the jar beyond the newest {@link #KEEP_OTHER_BUILDS}, each
     * only when no JVM holds its in-use lock (a running app loads classes from its copy until it stops),
     * and extractions that a killed JVM left.
     */
    static void forgetOldBuilds(Path cache, Path current, Path jar) throws IOException {
        String prefix = jar.getFileName().toString().replaceFirst("\\.jar$", "") + "-";
        List<Path> others;
        try (Stream<Path> list = Files.list(cache)) {
            others = list.filter(p ->
                            !p.equals(current) && p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p))
                    .sorted(Comparator.comparing(ExtractedJars::lastChange).reversed())
                    .toList();
        }
        int kept = 0;
        for (Path old : others) {
            OptionalLong extractor = extractor(old);
            if (extractor.isPresent()) {
                if (ProcessHandle.of(extractor.getAsLong()).isEmpty()) {
                    FileSystemUtils.deleteRecursively(old);
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
                FileSystemUtils.deleteRecursively(dir);
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
