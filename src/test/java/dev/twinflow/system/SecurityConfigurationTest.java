package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

class SecurityConfigurationTest {

    @TempDir
    Path dir;

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final AtomicInteger lookups = new AtomicInteger();
    private final UserDetailsService users = name -> {
        lookups.incrementAndGet();
        return switch (name) {
            case "ops" ->
                User.withUsername("ops")
                        .password(encoder.encode("s3cret"))
                        .roles("OPERATOR")
                        .build();
            case "reader" ->
                User.withUsername("reader").password("{noop}r").roles("READER").build();
            default -> throw new UsernameNotFoundException(name);
        };
    };

    private FrontSecurity security(boolean enabled, boolean openReads) {
        return new FrontSecurity(new SecurityProperties(enabled, openReads, Map.of()), users, encoder);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void controlEndpointsNeedAnOperatorWithOrWithoutATrailingSlash() {
        FrontSecurity on = security(true, true);
        for (String path : List.of(
                "/clear",
                "/clear_messages/",
                "/scenarios/x/start",
                "/terminals/t-1/commands",
                "/simulator/terminals/start",
                "/exports/run",
                "/publish/")) {
            assertThat(on.need("POST", path)).as(path).isEqualTo(FrontSecurity.Need.OPERATOR);
        }
        assertThat(on.need("PUT", "/terminals/t-1/config/")).isEqualTo(FrontSecurity.Need.OPERATOR);
        assertThat(on.need("PUT", "/scenarios/factory-floor")).isEqualTo(FrontSecurity.Need.OPERATOR);
    }

    @Test
    void anEncodedOrParameterisedControlPathStillNeedsAnOperator() {
        FrontSecurity on = security(true, true);
        assertThat(on.need("POST", "/cl%65ar")).isEqualTo(FrontSecurity.Need.OPERATOR);
        assertThat(on.need("POST", "/clear;x=1")).isEqualTo(FrontSecurity.Need.OPERATOR);
        assertThat(on.need("POST", "/%70ublish")).isEqualTo(FrontSecurity.Need.OPERATOR);
        assertThat(on.need("POST", "/rec%65ive")).isEqualTo(FrontSecurity.Need.NOTHING);
    }

    @Test
    void theDataPlaneAndReadsStayOpenUnlessReadsAreClosed() {
        FrontSecurity open = security(true, true);
        assertThat(open.need("POST", "/receive")).isEqualTo(FrontSecurity.Need.NOTHING);
        assertThat(open.need("POST", "/generate")).isEqualTo(FrontSecurity.Need.NOTHING);
        assertThat(open.need("GET", "/scenarios/x")).isEqualTo(FrontSecurity.Need.NOTHING);
        assertThat(security(true, false).need("GET", "/messages")).isEqualTo(FrontSecurity.Need.LOGIN);
        assertThat(security(false, false).need("POST", "/clear")).isEqualTo(FrontSecurity.Need.NOTHING);
    }

    @Test
    void aLoginIsCheckedOnceAndAWrongOneIsRefused() {
        FrontSecurity on = security(true, true);
        FrontSecurity.Login ops = on.authenticate(basic("ops", "s3cret"));
        assertThat(ops.name()).isEqualTo("ops");
        assertThat(ops.operates()).isTrue();
        assertThat(on.authenticate(basic("ops", "s3cret"))).isEqualTo(ops);
        assertThat(lookups).hasValue(1);
        assertThat(on.authenticate(basic("ops", "wrong"))).isNull();
        assertThat(on.authenticate(basic("nobody", "x"))).isNull();
        assertThat(on.authenticate("Basic !!notbase64")).isNull();
        assertThat(on.authenticate("Bearer abc")).isNull();
        assertThat(on.authenticate(basic("reader", "r")).operates()).isFalse();
    }

    /** The front's handler on a real Vert.x server, a route behind it echoing who it was told the user is. */
    private java.net.http.HttpResponse<String> through(FrontSecurity security, HttpRequest.Builder request)
            throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            io.vertx.ext.web.Router router = io.vertx.ext.web.Router.router(vertx);
            router.route().handler(security::handle);
            router.route().handler(ctx -> ctx.end("user=" + ctx.request().getHeader(FrontSecurity.USER_HEADER)));
            int port = vertx.createHttpServer()
                    .requestHandler(router)
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get()
                    .actualPort();
            return HttpClient.newHttpClient()
                    .send(
                            request.uri(URI.create("http://127.0.0.1:" + port
                                            + request.build().uri().getPath()))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
        } finally {
            vertx.close();
        }
    }

    private static HttpRequest.Builder put(String path) {
        return HttpRequest.newBuilder(URI.create("http://x" + path))
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                .header(FrontSecurity.USER_HEADER, "mallory");
    }

    @Test
    void withSecurityOnTheUserHeaderIsTheLoginNotWhatTheClientSent() throws Exception {
        var answer = through(
                security(true, true), put("/terminals/t-1/config").header("Authorization", basic("ops", "s3cret")));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("user=ops");
    }

    @Test
    void withSecurityOnAnAnonymousReadCarriesNoUserAndAControlCallIsRefused() throws Exception {
        var read = through(
                security(true, true),
                HttpRequest.newBuilder(URI.create("http://x/messages")).header(FrontSecurity.USER_HEADER, "mallory"));
        assertThat(read.body()).isEqualTo("user=null");
        var anonymous = through(security(true, true), put("/terminals/t-1/config"));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"twinflow\"");
        assertThat(anonymous.body()).contains("\"error\":\"unauthorized\"");
        var reader = through(
                security(true, true), put("/terminals/t-1/config").header("Authorization", basic("reader", "r")));
        assertThat(reader.statusCode()).isEqualTo(403);
        var wrong =
                through(security(true, true), put("/terminals/t-1/config").header("Authorization", basic("ops", "x")));
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void withSecurityOffTheHeaderIsTakenAsSent() throws Exception {
        assertThat(through(security(false, true), put("/terminals/t-1/config")).body())
                .isEqualTo("user=mallory");
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
