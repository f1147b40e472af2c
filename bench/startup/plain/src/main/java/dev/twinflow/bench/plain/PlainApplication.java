package dev.twinflow.bench.plain;

import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** bench/startup's floor: what Spring Boot's web stack alone costs to start, one controller on {@code GET /data}. */
@SpringBootApplication
@RestController
public class PlainApplication {

    /** The answer: small, JSON, like an empty page of twinflow's {@code GET /data}. */
    record Page(String type, List<Object> records) {}

    @GetMapping("/data")
    Page data() {
        return new Page("sensor", List.of());
    }

    public static void main(String[] args) {
        SpringApplication.run(PlainApplication.class, args);
    }
}
