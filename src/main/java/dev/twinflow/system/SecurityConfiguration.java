package dev.twinflow.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP Basic logins from {@link SecurityProperties}: the console and actuator always, control
 * endpoints when {@code twinflow.security.enabled}. Data-plane endpoints ({@code /generate}, {@code
 * /receive}, {@code /get_data/}) and the dashboard stay open; gRPC, MQTT and the terminals' WebSocket
 * have their own ports and, for terminals, their own tokens.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);
    static final String USER_HEADER = "X-Twinflow-User";

    /** Control endpoints: what changes or deletes state, or acts on devices. */
    static RequestMatcher controlEndpoints() {
        List<RequestMatcher> m = new ArrayList<>();
        PathPatternRequestMatcher.Builder p = PathPatternRequestMatcher.withDefaults();
        for (String path : List.of(
                "/clear",
                "/clear_messages",
                "/scenarios/*/start",
                "/scenarios/*/stop",
                "/terminals/*/commands",
                "/simulator/**",
                "/exports/run",
                "/publish")) {
            m.add(p.matcher(HttpMethod.POST, path));
            if (!path.endsWith("**")) {
                m.add(p.matcher(HttpMethod.POST, path + "/"));
            }
        }
        for (String path : List.of("/scenarios/*", "/terminals/*/config")) {
            m.add(p.matcher(HttpMethod.PUT, path));
            m.add(p.matcher(HttpMethod.PUT, path + "/"));
        }
        return new OrRequestMatcher(m);
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, SecurityProperties security) throws Exception {
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.realmName("twinflow"))
                .addFilterAfter(new PrincipalHeader(security.enabled()), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(a -> {
                    a.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                            .permitAll();
                    a.requestMatchers("/actuator/prometheus").hasAnyRole("ADMIN", "METRICS");
                    a.requestMatchers("/actuator/**").hasRole("ADMIN");
                    if (security.enabled()) {
                        a.requestMatchers(controlEndpoints()).hasAnyRole("ADMIN", "OPERATOR");
                        if (!security.openReads()) {
                            // the dashboard too: its page and events show the same data
                            a.requestMatchers("/error").permitAll();
                            a.anyRequest().authenticated();
                            return;
                        }
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

    /**
     * With security on, {@code X-Twinflow-User} (who changed a terminal's config, ...) is the login's
     * name, whatever the client sent; without, the header is taken as sent.
     */
    static final class PrincipalHeader extends OncePerRequestFilter {
        private final boolean enforce;

        PrincipalHeader(boolean enforce) {
            this.enforce = enforce;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (!enforce) {
                chain.doFilter(request, response);
                return;
            }
            Authentication auth = SecurityContextHolder.getContext().getAuthentication();
            String name = auth == null || auth instanceof AnonymousAuthenticationToken ? null : auth.getName();
            chain.doFilter(
                    new HttpServletRequestWrapper(request) {
                        @Override
                        public String getHeader(String header) {
                            return USER_HEADER.equalsIgnoreCase(header) ? name : super.getHeader(header);
                        }

                        @Override
                        public Enumeration<String> getHeaders(String header) {
                            if (USER_HEADER.equalsIgnoreCase(header)) {
                                return Collections.enumeration(name == null ? List.of() : List.of(name));
                            }
                            return super.getHeaders(header);
                        }

                        @Override
                        public Enumeration<String> getHeaderNames() {
                            List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
                            names.removeIf(USER_HEADER::equalsIgnoreCase);
                            if (name != null) {
                                names.add(USER_HEADER);
                            }
                            return Collections.enumeration(names);
                        }
                    },
                    response);
        }
    }
}
