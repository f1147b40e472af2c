package dev.twinflow;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the ITs that boot the whole app in the test JVM: every engine on a free port (see {@code
 * config/application.yaml}), a data dir of the class's own, and engines closed with the class.
 */
// a cached context outliving its @TempDir made the in-process Kafka halt the JVM
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class AppIT {

    @TempDir
    protected static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("twinflow.data-dir", () -> dataDir.toString());
    }

    @LocalServerPort
    protected int httpPort;
}
