package dev.licensor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.SecondInstance;
import dev.licensor.server.testing.TestDatabase;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * Two server instances on one database, as behind a load balancer without sticky sessions: a
 * panel log-in made on one is valid on the other, and a log-out on either ends it on both.
 */
class PanelSessionSharingIT extends AbstractIT {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    private final HttpClient client =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Autowired
    Environment environment;

    @Test
    void aLogInOnOneInstanceIsALogInOnTheOtherUntilEitherLogsOut() throws Exception {
        try (SecondInstance second = SecondInstance.start(environment, Map.of())) {
            int other = second.port();

            String session = login(port);
            // Stored in the database, with the panel's idle timeout of 30 minutes (SPEC §4).
            assertThat(jdbc.sql("SELECT max_inactive_interval FROM spring_session WHERE principal_name = 'admin'")
                            .query(Integer.class)
                            .list())
                    .isNotEmpty()
                    .containsOnly(30 * 60);

            // The other instance knows the log-in: the dashboard, not the log-in page.
            HttpResponse<String> dashboard = get(other, "/admin", "SESSION=" + session);
            assertThat(dashboard.statusCode()).as(dashboard.body()).isEqualTo(200);
            assertThat(dashboard.body()).contains("id=\"logout\"");
            assertThat(get(port, "/admin", "SESSION=" + session).statusCode()).isEqualTo(200);

            // Log out on the other instance, with the CSRF token its page gave.
            HttpResponse<String> logout = post(
                    other,
                    "/admin/logout",
                    "SESSION=" + session + "; " + PanelSecurityConfig.CSRF_COOKIE + "="
                            + cookie(dashboard, PanelSecurityConfig.CSRF_COOKIE).orElseThrow(),
                    "_csrf=" + encode(csrf(dashboard.body())));
            assertThat(logout.statusCode()).isEqualTo(302);

            // Both instances send the browser to the log-in page now.
            for (int instance : new int[] {port, other}) {
                HttpResponse<String> after = get(instance, "/admin", "SESSION=" + session);
                assertThat(after.statusCode()).isEqualTo(302);
                assertThat(after.headers().firstValue("Location").orElseThrow()).endsWith("/admin/login");
            }
        }
    }

    @Test
    void aLogInWhoseStoredContextNoLongerReadsBackIsAskedToLogInAgainNotAnError() throws Exception {
        String session = login(port);
        assertThat(get(port, "/admin", "SESSION=" + session).statusCode()).isEqualTo(200);
        // As after an upgrade that changed a serialized class: the stored bytes no longer read back.
        int spoiled = jdbc.sql(
                        """
                        UPDATE spring_session_attributes SET attribute_bytes = ?
                        WHERE attribute_name = 'SPRING_SECURITY_CONTEXT' AND session_primary_id =
                            (SELECT primary_id FROM spring_session WHERE session_id = ?)""")
                // The cookie carries the session id in base64.
                .params(
                        new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 1, 2, 3},
                        new String(Base64.getDecoder().decode(session), StandardCharsets.US_ASCII))
                .update();
        assertThat(spoiled).isEqualTo(1);

        HttpResponse<String> after = get(port, "/admin", "SESSION=" + session);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(302);
        assertThat(after.headers().firstValue("Location").orElseThrow()).endsWith("/admin/login");
        assertThat(login(port)).isNotBlank();
    }

    @Test
    void aVisitorWhoHasNotLoggedInLeavesNoSessionBehindAndReturnsToThePageAskedForAfterLogIn() throws Exception {
        long anonymous = anonymousSessions();

        HttpResponse<String> deepLink = get(port, "/admin/licenses?status=ACTIVE", null);
        assertThat(deepLink.statusCode()).isEqualTo(302);
        assertThat(deepLink.headers().firstValue("Location").orElseThrow()).endsWith("/admin/login");
        HttpResponse<String> form = get(port, "/admin/login", null);
        assertThat(form.statusCode()).isEqualTo(200);

        // No session cookie and no stored session: the page to return to and the form's CSRF
        // token travel in cookies of their own.
        assertThat(cookie(deepLink, "SESSION")).isEmpty();
        assertThat(cookie(form, "SESSION")).isEmpty();
        assertThat(anonymousSessions()).isEqualTo(anonymous);
        String returnTo = cookie(deepLink, "REDIRECT_URI").orElseThrow();

        HttpResponse<String> login = logIn(port, form, "REDIRECT_URI=" + returnTo);
        assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith("/admin/licenses?status=ACTIVE");
        String session = cookie(login, "SESSION").orElseThrow();
        assertThat(get(port, "/admin/licenses?status=ACTIVE", "SESSION=" + session)
                        .statusCode())
                .isEqualTo(200);

        // A form posted without the CSRF cookie its token belongs to is refused.
        HttpResponse<String> forged = post(
                port,
                "/admin/login",
                null,
                "username=admin&password=" + encode(TestDatabase.ADMIN_PASSWORD) + "&_csrf="
                        + encode(csrf(form.body())));
        assertThat(forged.statusCode()).isEqualTo(403);
    }

    private long anonymousSessions() {
        return jdbc.sql("SELECT COUNT(*) FROM spring_session WHERE principal_name IS NULL")
                .query(Long.class)
                .single();
    }

    /** Logs in as the bootstrap admin through the form; the session cookie's value. */
    private String login(int port) throws Exception {
        return cookie(logIn(port, get(port, "/admin/login", null), null), "SESSION")
                .orElseThrow();
    }

    /** Posts the log-in form of {@code form} (with its CSRF cookie and any {@code cookies}). */
    private HttpResponse<String> logIn(int port, HttpResponse<String> form, String cookies) throws Exception {
        String csrfCookie = PanelSecurityConfig.CSRF_COOKIE + "="
                + cookie(form, PanelSecurityConfig.CSRF_COOKIE).orElseThrow();
        HttpResponse<String> login = post(
                port,
                "/admin/login",
                cookies == null ? csrfCookie : csrfCookie + "; " + cookies,
                "username=admin&password=" + encode(TestDatabase.ADMIN_PASSWORD) + "&_csrf="
                        + encode(csrf(form.body())));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
        return login;
    }

    private HttpResponse<String> get(int port, String path, String cookies) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (cookies != null) {
            request.header("Cookie", cookies);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String cookies, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookies != null) {
            request.header("Cookie", cookies);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value a response sets for cookie {@code name}, unless it deletes it. */
    private static Optional<String> cookie(HttpResponse<?> response, String name) {
        Pattern set = Pattern.compile("^" + Pattern.quote(name) + "=([^;]+)");
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> !c.contains("Max-Age=0"))
                .map(set::matcher)
                .filter(Matcher::find)
                .map(m -> m.group(1))
                .findFirst();
    }

    private static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF field in the page").isTrue();
        return m.group(1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
