package dev.twinflow.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * An engine server started as a child process (redis-server, mariadbd) lives on when the app is killed
 * with SIGKILL. The next start in the same data dir finds it by its pid file and stops it first.
 */
final class Orphans {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Orphans.class);

    private Orphans() {}

    static void stop(Path pidFile, String command) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readString(pidFile).trim();
        try {
            ProcessHandle.of(Long.parseLong(pid))
                    .filter(p -> p.info().command().orElse("").contains(command))
                    .ifPresent(orphan -> {
                        LOG.warn("stopping {} {} left running by an earlier run in this data dir", command, pid);
                        orphan.destroy();
                        orphan.onExit().orTimeout(30, TimeUnit.SECONDS).join();
                    });
        } catch (NumberFormatException | CompletionException e) {
            LOG.warn("cannot stop the {} of {}: {}", command, pidFile, e.toString());
        }
        Files.deleteIfExists(pidFile);
    }
}
