package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FastStartTest {

    @TempDir
    Path dir;

    @Test
    void onlyAJvmRunningThePackagedJarRelaunches() throws Exception {
        Path jar = Files.writeString(dir.resolve("twinflow.jar"), "jar");
        String nested = "jar:nested:" + jar + "/!BOOT-INF/classes/!/";

        assertThat(FastStart.packagedJar(jar.toString(), nested)).contains(jar);
        // spring-boot:run, tests, the extracted layout: classes from directories or plain jars
        assertThat(FastStart.packagedJar(jar.toString(), dir.toUri().toString()))
                .isEmpty();
        assertThat(FastStart.packagedJar(jar + ":" + dir, nested)).isEmpty();
        assertThat(FastStart.packagedJar(dir.resolve("gone.jar").toString(), nested))
                .isEmpty();
    }

    @Test
    void itIsOffWhenSwitchedOffOrWhenTheJvmAlreadyChoseAnArchiveADebuggerOrAProfiler() {
        assertThat(FastStart.enabled(null, Map.of(), List.of("-Xmx1g"))).isTrue();
        assertThat(FastStart.enabled("false", Map.of(), List.of())).isFalse();
        assertThat(FastStart.enabled(null, Map.of("TWINFLOW_FAST_START", "FALSE"), List.of()))
                .isFalse();
        assertThat(FastStart.enabled("true", Map.of("TWINFLOW_FAST_START", "false"), List.of()))
                .isTrue();
        assertThat(FastStart.enabled(null, Map.of(), List.of("-XX:SharedArchiveFile=a.jsa")))
                .isFalse();
        assertThat(FastStart.enabled(null, Map.of(), List.of("-XX:ArchiveClassesAtExit=a.jsa")))
                .isFalse();
        assertThat(FastStart.enabled(null, Map.of(), List.of("-Xshare:off"))).isFalse();
        assertThat(FastStart.enabled(null, Map.of(), List.of("-XX:StartFlightRecording=filename=a.jfr")))
                .isFalse();
        assertThat(FastStart.enabled(null, Map.of(), List.of("-agentpath:/p/libasyncProfiler.so=start")))
                .isFalse();
        assertThat(FastStart.enabled(null, Map.of(), List.of("-javaagent:/p/agent.jar")))
                .isFalse();
        assertThat(FastStart.enabled(
                        null, Map.of(), List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005")))
                .isFalse();
    }

    @Test
    void theAppJvmGetsTheSameOptionsAndArgumentsWithTheArchiveOrTheFileToWriteOne() {
        Path java = Path.of("/jdk/bin/java");
        Path extracted = dir.resolve("build/twinflow.jar");
        Path archive = dir.resolve("build/app.jsa");
        String[] args = {"--server.port=9000", "--twinflow.data-dir=/d"};

        List<String> mapping = FastStart.command(java, List.of("-Xmx1g", "-Dx=y"), 42, extracted, archive, null, args);
        assertThat(mapping)
                .containsExactly(
                        "/jdk/bin/java",
                        "-Xmx1g",
                        "-Dx=y",
                        "-XX:SharedArchiveFile=" + archive,
                        "-Dtwinflow.fast-start.launcher=42",
                        "-jar",
                        extracted.toString(),
                        "--server.port=9000",
                        "--twinflow.data-dir=/d");

        Path training = dir.resolve("build/app.jsa.42.tmp");
        List<String> writing = FastStart.command(java, List.of(), 42, extracted, archive, training, args);
        assertThat(writing)
                .contains("-XX:ArchiveClassesAtExit=" + training, "-Xlog:cds*=error")
                .doesNotContain("-XX:SharedArchiveFile=" + archive);
        assertThat(writing.subList(writing.indexOf("-jar"), writing.size()))
                .containsExactly("-jar", extracted.toString(), "--server.port=9000", "--twinflow.data-dir=/d");
    }

    @Test
    void eachBuildOfTheJarHasItsOwnDirectoryAndEachJvmBuildItsOwnArchive() throws Exception {
        Path jar = Files.writeString(dir.resolve("twinflow-1.0.jar"), "first build");
        Path first = ExtractedJars.buildDir(dir.resolve("cache"), jar);
        Files.setLastModifiedTime(
                jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
        Path rebuilt = ExtractedJars.buildDir(dir.resolve("cache"), jar);

        assertThat(first.getFileName().toString()).startsWith("twinflow-1.0-");
        assertThat(rebuilt).isNotEqualTo(first);
        assertThat(ExtractedJars.archive(first, "17.0.15+6-Debian-1deb12u1").getFileName())
                .hasToString("app-17.0.15_6-Debian-1deb12u1.jsa");
        assertThat(ExtractedJars.archive(first, "21.0.1+12")).isNotEqualTo(ExtractedJars.archive(first, "17.0.15+6"));
    }

    @Test
    void anExtractionDirectoryNamesTheJvmExtractingIntoIt() {
        assertThat(ExtractedJars.extractor(Path.of("/c/twinflow-1.0-5-6.tmp-1234")))
                .isEqualTo(OptionalLong.of(1234));
        assertThat(ExtractedJars.extractor(Path.of("/c/twinflow-1.0-5-6"))).isEmpty();
        assertThat(ExtractedJars.extractor(Path.of("/c/twinflow-1.0-5-6.tmp-x")))
                .isEmpty();
    }

    @Test
    void theCacheFollowsXdgElseLiesUnderTheHomeDirectory() {
        assertThat(FastStart.defaultCache(Map.of("XDG_CACHE_HOME", "/xdg"), "/home/u"))
                .isEqualTo(Path.of("/xdg/twinflow"));
        assertThat(FastStart.defaultCache(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/twinflow"));
    }
}
