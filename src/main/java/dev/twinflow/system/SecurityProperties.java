package dev.twinflow.system;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may do what over HTTP, under {@code twinflow.security.}. The Hawtio console and the actuator
 * endpoints (but health and info) always need an {@code ADMIN} login; Prometheus takes {@code ADMIN} or
 * {@code METRICS}.
 *
 * @param enabled control endpoints ({@code /clear}, {@code /clear_messages}, scenario changes and
 *     start/stop, terminal commands and config, the simulator, {@code /publish/}, {@code /exports/run})
 *     need an {@code ADMIN} or {@code OPERATOR} login; on in the {@code distributed} profile
 * @param openReads with {@code enabled}: read endpoints stay open (false: they need any login)
 * @param users logins: name → {@code password} ({@code {bcrypt}...}, or plain text) and {@code roles};
 *     none configured → one {@code admin} with a random password kept in {@code
 *     <data-dir>/security/admin-password}
 */
@ConfigurationProperties("twinflow.security")
public record SecurityProperties(
        @DefaultValue("false") boolean enabled, @DefaultValue("true") boolean openReads, Map<String, User> users) {

    public SecurityProperties {
        users = users == null ? Map.of() : users;
    }

    /**
     * One login.
     *
     * @param password the password, {@code {bcrypt}}-encoded or plain
     * @param roles {@code ADMIN}, {@code OPERATOR}, {@code READER} or {@code METRICS}
     */
    public record User(String password, @DefaultValue("READER") List<String> roles) {}
}
