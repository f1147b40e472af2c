package dev.twinflow.system;

import dev.twinflow.settings.TwinflowProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The engines every run has: the HTTP server and the local storage under the data dir. */
@Configuration(proxyBeanMethods = false)
class LocalEngines {

    @Bean
    Engine httpEngine(@Value("${server.port:8080}") int port) {
        return Engine.embedded(
                "http",
                "Vert.x on port " + port + " (server.port); actuator, console and dashboard through it from a"
                        + " loopback Tomcat (twinflow.http.servlet-port)");
    }

    @Bean
    Engine storageEngine(TwinflowProperties properties) {
        return Engine.embedded(
                "storage",
                "local files under " + properties.dataDir().toAbsolutePath().normalize() + " (twinflow.data-dir)");
    }
}
