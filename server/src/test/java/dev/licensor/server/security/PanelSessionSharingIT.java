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
    private static final Pattern SESSION = Pattern.compile("SESSION=([^;]+)");

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
            HttpResponse<String> dashboard = get(other, "/admin", session);
            assertThat(dashboard.statusCode()).as(dashboard.body()).isEqualTo(200);
            assertThat(dashboard.body()).contains("id=\"logout\"");
            assertThat(get(port, "/admin", session).statusCode()).isEqualTo(200);

            // Log out on the other instance, with the CSRF token of that session.
            HttpResponse<String> logout =
                    post(other, "/admin/logout", session, "_csrf=" + encode(csrf(dashboard.body())));
            assertThat(logout.statusCode()).isEqualTo(302);

            // Both instances send the browser to the log-in page now.
            for (int instance : new int[] {port, other}) {
                HttpResponse<String> after = get(instance, "/admin", session);
                assertThat(after.statusCode()).isEqualTo(302);
                assertThat(after.headers().firstValue("Location").orElseThrow()).endsWith("/admin/login");
            }
        }
    }

    @Test
    void aLogInWhoseStoredContextNoLongerReadsBackIsAskedToLogInAgainNotAnError() throws Exception {
        String session = login(port);
        assertThat(get(port, "/admin", session).statusCode()).isEqualTo(200);
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

        HttpResponse<String> after = get(port, "/admin", session);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(302);
        assertThat(after.headers().firstValue("Location").orElseThrow()).endsWith("/admin/login");
        assertThat(login(port)).isNotBlank();
    }

    /** Logs in as the bootstrap admin through the form; the session cookie's value. */
    private String login(int port) throws Exception {
        HttpResponse<String> form = get(port, "/admin/login", null);
        String session = sessionCookie(form).orElseThrow();
        HttpResponse<String> login = post(
                port,
                "/admin/login",
                session,
                "username=admin&password=" + encode(TestDatabase.ADMIN_PASSWORD) + "&_csrf="
                        + encode(csrf(form.body())));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
        // The session id changes at log-in (session fixation protection).
        return sessionCookie(login).orElse(session);
    }

    private HttpResponse<String> get(int port, String path, String session) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (session != null) {
            request.header("Cookie", "SESSION=" + session);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String session, String form) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Cookie", "SESSION=" + session)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Optional<String> sessionCookie(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .map(SESSION::matcher)
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
