package dev.twinflow.system;

import dev.twinflow.settings.TwinflowProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans every flow shares. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

    /** One clock for all stamps, so tests can fix time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** This node's name, for routes ({@code ${ref:nodeName}}): answers that cover one node say which. */
    @Bean
    String nodeName(TwinflowProperties twinflow) {
        return twinflow.nodeName();
    }
}
