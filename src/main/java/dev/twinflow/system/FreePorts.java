package dev.twinflow.system;

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

    static final List<String> LISTENERS =
            List.of("twinflow.grpc.port", "twinflow.terminals.port", "twinflow.mqtt.embedded-port");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> resolved = new HashMap<>();
        for (String key : LISTENERS) {
            if ("0".equals(environment.getProperty(key))) {
                resolved.put(key, String.valueOf(Ports.free()));
            }
        }
        // every paho-mqtt5: endpoint's broker, bound by Camel's starter before any endpoint exists (a
        // ComponentCustomizer raced with endpoint creation and left some on Paho's localhost:1883)
        String broker = environment.getProperty("twinflow.mqtt.broker-url", "");
        if (broker.isBlank()) {
            Object port = resolved.getOrDefault(
                    "twinflow.mqtt.embedded-port", environment.getProperty("twinflow.mqtt.embedded-port", "1883"));
            broker = "tcp://127.0.0.1:" + port;
        }
        resolved.put("camel.component.paho-mqtt5.broker-url", broker);
        if (!resolved.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource("twinflow-free-ports", resolved));
        }
    }
}
