package dev.twinflow.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Listener ports set to 0 ("any free port") are resolved to one concrete free port before anything
 * starts, so routes, clients and the start-up report all see the same number.
 */
class FreePorts implements EnvironmentPostProcessor {

    static final List<String> LISTENERS = List.of("twinflow.grpc.port", "twinflow.terminals.port");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> resolved = new HashMap<>();
        for (String key : LISTENERS) {
            if ("0".equals(environment.getProperty(key))) {
                try (ServerSocket socket = new ServerSocket(0)) {
                    resolved.put(key, String.valueOf(socket.getLocalPort()));
                } catch (IOException e) {
                    throw new IllegalStateException("no free port for " + key, e);
                }
            }
        }
        if (!resolved.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource("twinflow-free-ports", resolved));
        }
    }
}
