package dev.twinflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Small classes, each with one job: a source file over {@value #LIMIT} lines says why at its top, in a
 * sentence starting with {@value #REASON}.
 */
class ClassSizeTest {

    static final int LIMIT = 220;
    static final String REASON = "Over 200 lines:";

    @Test
    void everyLongClassSaysWhyItIsOneClass() throws IOException {
        List<String> unexplained;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            unexplained = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(ClassSizeTest::longAndUnexplained)
                    .map(Path::toString)
                    .toList();
        }
        assertThat(unexplained)
                .as("classes over %d lines without '%s'", LIMIT, REASON)
                .isEmpty();
    }

    @Test
    void findsTheSourcesItChecks() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/twinflow"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".java")).count())
                    .isGreaterThan(50);
        }
    }

    static boolean longAndUnexplained(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            // the reason belongs above the type's declaration: in its Javadoc
            List<String> top = lines.stream()
                    .takeWhile(l -> !l.matches("^(public |final |abstract |sealed )*(class|record|enum|interface) .*"))
                    .toList();
            return lines.size() > LIMIT && top.stream().noneMatch(l -> l.contains(REASON));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
