package dev.twinflow.bench;

import dev.twinflow.TwinflowApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The whole app in the benchmark's JVM: a fresh data dir, every engine embedded on a free port, WARN logs. */
final class BenchApp {

    /** The engines on free ports, WARN logs: the defaults here and in a child JVM ({@code ChildApp}). */
    private static final List<String> DEFAULTS = List.of(
            "--twinflow.grpc.port=0",
            "--twinflow.terminals.port=0",
            "--twinflow.kafka.embedded-port=0",
            "--twinflow.redis.embedded-port=0",
            "--twinflow.mqtt.embedded-port=0",
            "--logging.level.root=WARN");

    private BenchApp() {}

    /** Starts it; {@code settings} ({@code --key=value}) replace the defaults of the same key. */
    static ConfigurableApplicationContext start(String... settings) throws IOException {
        List<String> args = new ArrayList<>();
        args.add("--twinflow.data-dir=" + Files.createTempDirectory("twinflow-bench"));
        List<String> defaults = new ArrayList<>(DEFAULTS);
        defaults.add("--server.port=0");
        args.addAll(merged(defaults, settings));
        return SpringApplication.run(TwinflowApplication.class, args.toArray(String[]::new));
    }

    /** {@code settings} after the defaults whose keys they do not set (a child JVM sets its own port and data dir). */
    static List<String> withDefaults(String... settings) {
        return merged(DEFAULTS, settings);
    }

    private static List<String> merged(List<String> defaults, String... settings) {
        List<String> args = new ArrayList<>();
        for (String d : defaults) {
            String key = d.substring(0, d.indexOf('=') + 1);
            if (List.of(settings).stream().noneMatch(s -> s.startsWith(key))) {
                args.add(d);
            }
        }
        args.addAll(List.of(settings));
        return args;
    }
}
