package dev.twinflow.export;

import dev.twinflow.embedded.Engine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ExportConfiguration {

    /** The {@code engine hdfs} start-up line. */
    @Bean
    Engine hdfsEngineReport(HdfsStore store) {
        return store.engine();
    }
}
