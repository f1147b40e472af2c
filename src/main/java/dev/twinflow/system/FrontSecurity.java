package dev.twinflow.system;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Logins on the HTTP front, for the routes it serves itself (what Tomcat serves, Spring Security
 * guards there): HTTP Basic against the same users ({@link SecurityProperties}), control endpoints
 * for {@code ADMIN} or {@code OPERATOR} when {@code twinflow.security.enabled}, every request when
 * reads are closed too. With security on, {@code X-Twinflow-User} is the login's name, whatever the
 * client sent; without, it is taken as sent.
 *
 * <p>A password check (bcrypt) costs tens of milliseconds, so it runs on a worker thread and a
 * checked {@code Authorization} value is remembered (by its SHA-256) for the next request.
 */
final class FrontSecurity {

    static final String USER_HEADER = "X-Twinflow-User";
    private static final int MAX_REMEMBERED = 10_000;

    /** What a request needs. */
    enum Need {
        NOTHING,
        LOGIN,
        OPERATOR
    }

    /** A checked login. */
    record Login(String name, Set<String> roles) {
        boolean operates() {
            return roles.contains("ROLE_ADMIN") || roles.contains("ROLE_OPERATOR");
        }
    }

    private static final Login NOBODY = new Login(null, Set.of());

    private final boolean enabled;
    private final boolean openReads;
    private final UserDetailsService users;
    private final PasswordEncoder passwords;
    private final ControlPaths control = new ControlPaths();
    private final Map<String, Login> checked = new ConcurrentHashMap<>();

    FrontSecurity(SecurityProperties properties, UserDetailsService users, PasswordEncoder passwords) {
        this.enabled = properties.enabled();
        this.openReads = properties.openReads();
        this.users = users;
        this.passwords = passwords;
    }

    /** Control endpoints (see {@link ControlPaths}) need an operator; the rest a login if reads are closed. */
    Need need(String method, String path) {
        if (!enabled) {
            return Need.NOTHING;
        }
        if (control.matches(method, path)) {
            return Need.OPERATOR;
        }
        return openReads ? Need.NOTHING : Need.LOGIN;
    }

    /** The login an {@code Authorization} header proves, {@code null} for none or a wrong one. Blocking. */
    Login authenticate(String authorization) {
        String key = digest(authorization);
        Login known = checked.get(key);
        return known != null ? (known == NOBODY ? null : known) : checkAndRemember(key, authorization);
    }

    /** Checks the password (blocking) and remembers the verdict under the header's digest {@code key}. */
    private Login checkAndRemember(String key, String authorization) {
        Login login = check(authorization);
        if (checked.size() < MAX_REMEMBERED) {
            checked.put(key, login == null ? NOBODY : login);
        }
        return login;
    }

    private Login check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        try {
            UserDetails user = users.loadUserByUsername(decoded.substring(0, colon));
            if (!user.isEnabled() || !passwords.matches(decoded.substring(colon + 1), user.getPassword())) {
                return null;
            }
            return new Login(
                    user.getUsername(),
                    user.getAuthorities().stream()
                            .map(GrantedAuthority::getAuthority)
                            .collect(Collectors.toSet()));
        } catch (UsernameNotFoundException unknown) {
            return null;
        }
    }

    private static String digest(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** With security on, a client's own {@code X-Twinflow-User} is dropped: only a login sets it. */
    void stripUserHeader(HttpServerRequest request) {
        if (enabled) {
            request.headers().remove(USER_HEADER);
        }
    }

    /** The router handler: passes, or answers 401/403 with the API's JSON error. */
    void handle(RoutingContext ctx) {
        if (!enabled) {
            ctx.next();
            return;
        }
        HttpServerRequest request = ctx.request();
        stripUserHeader(request);
        Need need = need(request.method().name(), request.path());
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            if (need == Need.NOTHING) {
                ctx.next();
            } else {
                unauthorized(ctx);
            }
            return;
        }
        String key = digest(authorization);
        Login known = checked.get(key);
        if (known != null) {
            decide(ctx, need, known == NOBODY ? null : known);
            return;
        }
        request.pause();
        ctx.vertx()
                .executeBlocking(() -> checkAndRemember(key, authorization), false)
                .onComplete(result -> decide(ctx, need, result.succeeded() ? result.result() : null));
    }

    private static void decide(RoutingContext ctx, Need need, Login login) {
        if (login == null) {
            unauthorized(ctx);
        } else if (need == Need.OPERATOR && !login.operates()) {
            FrontRouter.error(ctx, 403, "forbidden", login.name() + " may not do this (needs ADMIN or OPERATOR)");
        } else {
            ctx.request().headers().set(USER_HEADER, login.name());
            ctx.next();
        }
    }

    private static void unauthorized(RoutingContext ctx) {
        ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"twinflow\"");
        FrontRouter.error(ctx, 401, "unauthorized", "this needs a login (HTTP Basic)");
    }
}
