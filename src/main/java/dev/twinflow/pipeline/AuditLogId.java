package dev.twinflow.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The name under which the audit records how far into this node's message log it has applied ({@code
 * <data-dir>/audit-log-id}): kept across restarts, replaced when the log is cleared (its indexes then
 * start again at 0).
 */
final class AuditLogId {

    private final Path file;

    AuditLogId(Path file) {
        this.file = file;
    }

    /** The id in the file, or a new one written there. */
    String readOrCreate() {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return renew();
    }

    /** A new id, written atomically. */
    String renew() {
        String id = UUID.randomUUID().toString();
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, id);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return id;
    }
}
