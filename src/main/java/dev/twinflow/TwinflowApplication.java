package dev.twinflow;

import dev.twinflow.system.FastStart;
import java.util.OptionalInt;
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
        // java -jar on the packaged jar: the app runs in a second JVM, from the extracted jar (FastStart)
        OptionalInt relaunched = FastStart.relaunch(args);
        if (relaunched.isPresent()) {
            System.exit(relaunched.getAsInt());
        }
        FastStart.stopWithLauncher();
        SpringApplication.run(TwinflowApplication.class, args);
    }
}
