package dev.twinflow.system;

import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.UrlHandlerFilter;

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

    /**
     * Seeds 003 and 004 call {@code /terminals/1/config/} and {@code /get_data/} with a trailing slash; Spring matches
     * paths exactly, so the slash is dropped before the request reaches the routes.
     */
    @Bean
    FilterRegistrationBean<UrlHandlerFilter> trailingSlashes() {
        FilterRegistrationBean<UrlHandlerFilter> filter = new FilterRegistrationBean<>(
                UrlHandlerFilter.trailingSlashHandler("/terminals/**", "/get_data/", "/publish/", "/connect/")
                        .wrapRequest()
                        .build());
        filter.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return filter;
    }
}
