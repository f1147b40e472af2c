package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

class SecurityConfigurationTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    HttpServletRequest through(boolean enforce, String sentUser) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("PUT", "/terminals/t-1/config");
        if (sentUser != null) {
            request.addHeader(SecurityConfiguration.USER_HEADER, sentUser);
        }
        AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
        new SecurityConfiguration.PrincipalHeader(enforce)
                .doFilter(request, new MockHttpServletResponse(), (req, res) -> seen.set((HttpServletRequest) req));
        return seen.get();
    }

    @Test
    void withSecurityOnTheUserHeaderIsTheLoginNotWhatTheClientSent() throws Exception {
        SecurityContextHolder.getContext()
                .setAuthentication(UsernamePasswordAuthenticationToken.authenticated("ops", null, List.of()));
        HttpServletRequest seen = through(true, "mallory");
        assertThat(seen.getHeader("x-twinflow-user")).isEqualTo("ops");
        assertThat(Collections.list(seen.getHeaders(SecurityConfiguration.USER_HEADER)))
                .containsExactly("ops");
    }

    @Test
    void withSecurityOnAnAnonymousRequestCarriesNoUser() throws Exception {
        assertThat(through(true, "mallory").getHeader(SecurityConfiguration.USER_HEADER))
                .isNull();
        assertThat(Collections.list(through(true, "mallory").getHeaderNames()))
                .doesNotContain(SecurityConfiguration.USER_HEADER);
    }

    @Test
    void withSecurityOffTheHeaderIsTakenAsSent() throws Exception {
        assertThat(through(false, "alice").getHeader(SecurityConfiguration.USER_HEADER))
                .isEqualTo("alice");
    }

    @Test
    void theGeneratedAdminPasswordIsMadeOnceAndKeptOwnerOnly() throws Exception {
        Path file = dir.resolve("security/admin-password");
        String first = SecurityConfiguration.generatedPassword(file);
        assertThat(first).hasSize(36).matches("[0-9a-f]+");
        assertThat(SecurityConfiguration.generatedPassword(file)).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(SecurityConfiguration.generatedPassword(dir.resolve("other/admin-password")))
                .isNotEqualTo(first);
    }
}
