package dev.twinflow.terminals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.settings.TwinflowProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminalAuthTest {

    @TempDir
    Path dataDir;

    static TerminalsProperties settings(String secret, Map<String, String> tokens) {
        return new TerminalsProperties(
                0,
                "/ws/terminals",
                secret,
                tokens,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                1000,
                100,
                null,
                null,
                1000,
                null);
    }

    TwinflowProperties twinflow() {
        return new TwinflowProperties(dataDir, "node", null, null);
    }

    @Test
    void theTokenIsTheHexHmacSha256OfTheIdUnderTheSharedSecret() {
        TerminalAuth auth = new TerminalAuth(settings("s3cret", Map.of()), twinflow());
        // printf t1 | openssl dgst -sha256 -hmac s3cret
        assertThat(auth.tokenFor("t1")).isEqualTo("d5a803e1c67bcdd10f3b055e246bae3213f61d8151684701d15c6a52795c9934");
        assertThat(auth.tokenFor("t1")).hasSize(64).isNotEqualTo(auth.tokenFor("t2"));
        assertThat(auth.accepts("t1", auth.tokenFor("t1"))).isTrue();
        assertThat(auth.accepts("t2", auth.tokenFor("t1"))).isFalse();
        assertThat(new TerminalAuth(settings("other", Map.of()), twinflow()).accepts("t1", auth.tokenFor("t1")))
                .isFalse();
    }

    @Test
    void aTerminalWithItsOwnTokenCannotUseTheHmacOne() {
        TerminalAuth auth = new TerminalAuth(settings("s3cret", Map.of("t1", "own")), twinflow());
        TerminalAuth hmacOnly = new TerminalAuth(settings("s3cret", Map.of()), twinflow());
        assertThat(auth.accepts("t1", "own")).isTrue();
        assertThat(auth.accepts("t1", hmacOnly.tokenFor("t1"))).isFalse();
        assertThat(auth.accepts("t2", hmacOnly.tokenFor("t2"))).isTrue();
    }

    @Test
    void refusesIdsOutsideTheSafeAlphabetAndMissingTokens() {
        TerminalAuth auth = new TerminalAuth(settings("s3cret", Map.of()), twinflow());
        assertThat(auth.accepts("a:b", auth.tokenFor("a:b"))).isFalse();
        assertThat(auth.accepts("", auth.tokenFor(""))).isFalse();
        assertThat(auth.accepts(null, "x")).isFalse();
        assertThat(auth.accepts("t1", null)).isFalse();
    }

    @Test
    void withoutAConfiguredSecretOneIsGeneratedOnceAndKept() throws Exception {
        TerminalAuth first = new TerminalAuth(settings(null, Map.of()), twinflow());
        Path file = dataDir.resolve("terminals/shared-secret");
        assertThat(Files.readString(file)).hasSize(64);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        TerminalAuth second = new TerminalAuth(settings(" ", Map.of()), twinflow());
        assertThat(second.tokenFor("t1")).isEqualTo(first.tokenFor("t1"));
    }
}
