package dev.twinflow.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tomcat accepts connections before Camel has started the routes behind its paths; until the app is
 * ready (every route started: Spring Boot's readiness, {@code /actuator/health/readiness}), a request
 * gets {@code 503} with {@code Retry-After: 1}, never the {@code 404} of a path that is not there yet.
 * The same from the moment a shutdown begins. Actuator stays open, so probes see the state.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class StartupGate extends OncePerRequestFilter {

    private static final byte[] STARTING =
            "{\"error\":\"not_ready\",\"detail\":\"twinflow is starting or stopping; retry shortly\"}"
                    .getBytes(StandardCharsets.UTF_8);

    private final ApplicationAvailability availability;

    StartupGate(ApplicationAvailability availability) {
        this.availability = availability;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // a map lookup: the last AvailabilityChangeEvent Spring Boot published
        if (availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC
                || request.getRequestURI().startsWith("/actuator")) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", "1");
        response.setContentType("application/json");
        response.setContentLength(STARTING.length);
        response.getOutputStream().write(STARTING);
    }
}
