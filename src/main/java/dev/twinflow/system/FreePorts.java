package dev.twinflow.system;

import dev.twinflow.embedded.Ports;
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
                resolved.put(key, String.valueOf(Ports.free()));
            }
        }
        if (!resolved.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource("twinflow-free-ports", resolved));
        }
    }
}
