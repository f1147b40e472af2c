package dev.twinflow.export;

import dev.twinflow.system.Engine;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The export's start-up line and its health. */
@Configuration(proxyBeanMethods = false)
class ExportConfiguration {

    /** The {@code engine hdfs} start-up line. */
    @Bean
    Engine hdfsEngineReport(HdfsStore store) {
        return store.engine();
    }

    /** The export root (or, before the first export, the file system's root) can be read. */
    @Bean("hdfsHealthIndicator")
    HealthIndicator hdfsHealth(HdfsStore hdfs) {
        return () -> {
            try {
                boolean exists = hdfs.exists(hdfs.root());
                return Health.up()
                        .withDetail("root", hdfs.root().toString())
                        .withDetail("exists", exists)
                        .build();
            } catch (Exception e) {
                return Health.down()
                        .withDetail("root", hdfs.root().toString())
                        .withDetail("error", e.toString())
                        .build();
            }
        };
    }
}
