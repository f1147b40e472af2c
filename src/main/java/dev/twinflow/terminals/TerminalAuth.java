package dev.twinflow.terminals;

import dev.twinflow.settings.TwinflowProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Who may connect as which terminal: a per-terminal token from {@code twinflow.terminals.tokens}, or
 * else the HMAC-SHA256 of the terminal id under the shared secret. There is no built-in secret: when
 * none is configured, a random one is generated once and kept (owner-readable) in the data dir.
 */
@Component
public class TerminalAuth {

    /** Ids end up in Redis keys and URLs: keep them to a safe alphabet. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TerminalAuth.class);

    private final TerminalsProperties properties;
    private final byte[] secret;

    TerminalAuth(TerminalsProperties properties, TwinflowProperties twinflow) {
        this.properties = properties;
        this.secret =
                properties.sharedSecret() != null && !properties.sharedSecret().isBlank()
                        ? properties.sharedSecret().getBytes(StandardCharsets.UTF_8)
                        : storedSecret(twinflow.dataDir().resolve("terminals").resolve("shared-secret"));
    }

    /** The token terminal {@code id} must present (what the simulator sends). */
    public String tokenFor(String id) {
        String own = properties.tokens().get(id);
        return own != null ? own : hmac(id);
    }

    /** Constant-time check of a presented token. */
    public boolean accepts(String id, String token) {
        if (id == null || token == null || !ID.matcher(id).matches()) {
            return false;
        }
        return MessageDigest.isEqual(
                tokenFor(id).getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private String hmac(String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] storedSecret(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Path tmp = file.resolveSibling("shared-secret.tmp");
                Files.writeString(tmp, HexFormat.of().formatHex(random));
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: the folder's ACL applies
                }
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                LOG.info(
                        "generated the terminals' shared secret in {} (set twinflow.terminals.shared-secret to choose one)",
                        file);
            }
            return Files.readString(file).trim().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the terminals' shared secret in " + file, e);
        }
    }
}
