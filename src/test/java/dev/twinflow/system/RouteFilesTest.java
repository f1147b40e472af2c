package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/** Camel loads the bundled flows by name (a wildcard scans the whole fat jar): the list must be whole. */
class RouteFilesTest {

    @Test
    void everyRouteFileIsListedByNameAndEveryListedFileExists() throws IOException {
        List<PropertySource<?>> yaml =
                new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yaml"));
        String pattern = String.valueOf(yaml.get(0).getProperty("camel.main.routes-include-pattern"));
        List<String> listed = Arrays.asList(pattern.split(","));

        List<String> files;
        try (Stream<Path> routes = Files.list(Path.of("src/main/resources/routes"))) {
            files = routes.map(p -> "classpath:routes/" + p.getFileName())
                    .sorted()
                    .toList();
        }
        assertThat(listed)
                .as("no wildcard, no spaces: Camel neither scans nor trims")
                .allSatisfy(l -> assertThat(l).doesNotContain("*", " "));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(files);
    }
}
