package dev.twinflow.embedded;

import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.Engine;
import dev.twinflow.system.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * The Redis twinflow talks to: the configured one, or a real redis-server started from the
 * embedded-redis artifact, persisting under {@code <data-dir>/redis} (append-only file, fsync every
 * second), so counters survive a restart of the app.
 */
public final class RedisEngine implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedisEngine.class);

    private final RedisServer server;
    private final String url;

    RedisEngine(RedisSettings settings, TwinflowProperties twinflow) throws IOException {
        if (settings.embedded()) {
            Path dir =
                    Files.createDirectories(twinflow.dataDir().resolve("redis").toAbsolutePath());
            // before the port check: the orphan may be the one holding the port
            Orphans.stop(dir.resolve("redis.pid"), "redis-server");
            int port = Ports.claim(settings.embeddedPort(), "twinflow.redis.embedded-port");
            server = startServer(dir, port, "everysec");
            url = "redis://127.0.0.1:" + port;
        } else {
            server = null;
            url = settings.url();
        }
    }

    /**
     * Starts a real redis-server (the embedded-redis artifact's binary) on 127.0.0.1:{@code port},
     * persisting under {@code dir} in an append-only file fsynced as {@code appendfsync} says
     * ({@code everysec}, {@code always}); also what tests and the cluster harness start.
     */
    public static RedisServer startServer(Path dir, int port, String appendfsync) throws IOException {
        RedisServer server = RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(port)
                .setting("dir " + dir)
                .setting("appendonly yes")
                .setting("appendfsync " + appendfsync)
                .setting("save \"\"")
                .setting("pidfile " + dir.resolve("redis.pid"))
                .onShutdownForceStop(true)
                .build();
        server.start();
        return server;
    }

    public String url() {
        return url;
    }

    public Engine describe() {
        return server != null
                ? Engine.embedded("redis", url + " (twinflow.redis.embedded-port), data in <data-dir>/redis")
                : Engine.external("redis", url + " (twinflow.redis.url)");
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.stop();
        }
    }
}
