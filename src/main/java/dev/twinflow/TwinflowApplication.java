package dev.twinflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Entry point: one Spring Boot process running every twinflow flow on embedded defaults. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class TwinflowApplication {

    public static void main(String[] args) {
        SpringApplication.run(TwinflowApplication.class, args);
    }
}
