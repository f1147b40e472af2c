package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.ChildApp;
import dev.twinflow.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes in twinflow.routes-dir load beside the bundled ones and reload when their file changes. */
class RoutesDirectoryIT {

    @TempDir
    Path dir;

    private static String route(String answer) {
        return """
                - route:
                    id: say-hello
                    from:
                      uri: platform-http:/hello
                      steps:
                        - setBody:
                            constant: "%s"
                """
                .formatted(answer);
    }

    @Test
    void loadsFolderRoutesAndReloadsAnEditedFileWithoutRestart() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path file = routes.resolve("hello.camel.yaml");
        Files.writeString(file, route("hello v1"));
        try (ChildApp app =
                ChildApp.start(dir.resolve("data"), dir.resolve("app.log"), "--twinflow.routes-dir=" + routes)) {
            TestHttp http = new TestHttp(app.port());
            assertThat(http.get("/hello").body()).isEqualTo("hello v1");
            // the bundled routes still run
            assertThat(http.post("/receive", "{\"a\":1}").status()).isEqualTo(200);

            Files.writeString(file, route("hello v2"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> http.get("/hello")
                    .body()
                    .equals("hello v2"));
            assertThat(http.get("/messages").json()).hasSize(1);
        }
    }
}
