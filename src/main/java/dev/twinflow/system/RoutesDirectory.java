package dev.twinflow.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * When {@code twinflow.routes-dir} is set, loads its {@code *.camel.yaml} files after the bundled
 * routes and turns on Camel's route watcher for that folder, so a saved edit takes effect without a
 * rebuild or restart. Only the routes of the changed file are replaced; the others keep running.
 */
class RoutesDirectory implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String dir = environment.getProperty("twinflow.routes-dir");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path folder = Path.of(dir).toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException("twinflow.routes-dir=" + dir + " is not a folder (" + folder + ")");
        }
        String bundled = environment.getProperty("camel.main.routes-include-pattern", "classpath:routes/*.camel.yaml");
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("camel.main.routes-include-pattern", bundled + ",file:" + folder + "/*.camel.yaml");
        props.put("camel.main.routes-reload-enabled", "true");
        props.put("camel.main.routes-reload-directory", folder.toString());
        props.put("camel.main.routes-reload-pattern", "*.camel.yaml");
        props.put("camel.main.routes-reload-remove-all-routes", "false");
        environment.getPropertySources().addFirst(new MapPropertySource("twinflow-routes-dir", props));
    }
}
