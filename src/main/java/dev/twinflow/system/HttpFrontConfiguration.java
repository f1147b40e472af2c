package dev.twinflow.system;

import dev.twinflow.settings.TwinflowProperties;
import java.net.InetAddress;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.server.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The HTTP front on {@code server.port} ({@link HttpFront}) and Tomcat moved behind it, on loopback.
 */
@Configuration(proxyBeanMethods = false)
class HttpFrontConfiguration {

    @Bean
    FrontSecurity frontSecurity(SecurityProperties security, UserDetailsService users, PasswordEncoder passwords) {
        return new FrontSecurity(security, users, passwords);
    }

    @Bean
    HttpFront httpFront(
            @Value("${server.port:8080}") int port,
            TwinflowProperties twinflow,
            ApplicationAvailability availability,
            ConfigurableEnvironment environment,
            FrontSecurity security) {
        return new HttpFront(port, twinflow, availability, environment, security);
    }

    /** Camel's platform-http consumers (Vert.x engine) find the front's router by this name. */
    @Bean(VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO)
    VertxPlatformHttpRouter platformHttpRouter(HttpFront front) {
        return front.camelRouter();
    }

    /** {@code batched-http:} endpoints: POST paths of the front whose requests a route takes in batches. */
    @Bean("batched-http")
    BatchedHttpComponent batchedHttp(VertxPlatformHttpRouter platformHttpRouter, HttpFront front) {
        return new BatchedHttpComponent(platformHttpRouter, front.frontRouter());
    }

    /** Tomcat (actuator, console, dashboard) listens on loopback only; the front forwards to it. */
    @Bean
    ServletBehindFront servletBehindFront(TwinflowProperties twinflow) {
        return new ServletBehindFront(twinflow.http().servletPort());
    }

    /** Runs after Spring Boot's own customizer, which set {@code server.port}. */
    record ServletBehindFront(int port)
            implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory>, Ordered {
        @Override
        public void customize(ConfigurableServletWebServerFactory factory) {
            factory.setPort(port);
            factory.setAddress(InetAddress.getLoopbackAddress());
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
