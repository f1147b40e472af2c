package dev.twinflow.system;

import dev.twinflow.settings.TwinflowProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP Basic logins from {@link SecurityProperties} for what Tomcat serves behind the front: the
 * console and actuator always (but health and info), the dashboard when reads are closed. The routes
 * on the front (control endpoints among them) are guarded by {@link FrontSecurity} with the same users.
 * gRPC, MQTT and the terminals' WebSocket have their own ports and, for terminals, their own tokens.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, SecurityProperties security) throws Exception {
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.realmName("twinflow"))
                .authorizeHttpRequests(a -> {
                    a.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                            .permitAll();
                    a.requestMatchers("/actuator/prometheus").hasAnyRole("ADMIN", "METRICS");
                    a.requestMatchers("/actuator/**").hasRole("ADMIN");
                    if (security.enabled() && !security.openReads()) {
                        // the dashboard too: its page and events show the same data
                        a.requestMatchers("/error").permitAll();
                        a.anyRequest().authenticated();
                        return;
                    }
                    a.anyRequest().permitAll();
                });
        return http.build();
    }

    /**
     * Makes {@code requestMatchers(String...)} path-pattern matchers. Without it they are MVC matchers,
     * which ask Spring MVC's handler mappings on every request: most of an open request's security cost.
     */
    @Bean
    PathPatternRequestMatcherBuilderFactoryBean pathPatternRequestMatchers() {
        return new PathPatternRequestMatcherBuilderFactoryBean();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService users(SecurityProperties security, TwinflowProperties twinflow) throws IOException {
        List<UserDetails> users = new ArrayList<>();
        security.users()
                .forEach((name, user) -> users.add(User.withUsername(name)
                        .password(user.password().startsWith("{") ? user.password() : "{noop}" + user.password())
                        .roles(user.roles().stream().map(String::toUpperCase).toArray(String[]::new))
                        .build()));
        if (users.isEmpty()) {
            Path file = twinflow.dataDir().resolve("security").resolve("admin-password");
            users.add(User.withUsername("admin")
                    .password("{noop}" + generatedPassword(file))
                    .roles("ADMIN")
                    .build());
            LOG.info(
                    "no twinflow.security.users configured: user 'admin' (console, actuator{}), password in {}",
                    security.enabled() ? ", control endpoints" : "",
                    file.toAbsolutePath());
        }
        return new InMemoryUserDetailsManager(users);
    }

    /** A random password, made once and kept owner-readable only. */
    static String generatedPassword(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        Files.createDirectories(file.getParent());
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, password + "\n");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // the data dir's own permissions apply
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return password;
    }
}
