package dev.licensor.server.session.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which heartbeats the servlet serves itself; the rest go to MVC (HeartbeatServletIT). */
class HeartbeatServletTest {
    @Test
    void readsTheJsonTypesMvcReadsInUtf8() {
        assertThat(HeartbeatServlet.isJson("application/json")).isTrue();
        assertThat(HeartbeatServlet.isJson("application/json; charset=utf-8")).isTrue();
        assertThat(HeartbeatServlet.isJson("application/vnd.licensor+json")).isTrue();
        assertThat(HeartbeatServlet.isJson("application/json;charset=ISO-8859-1"))
                .isFalse();
        assertThat(HeartbeatServlet.isJson("application/*")).isFalse();
        assertThat(HeartbeatServlet.isJson("text/plain")).isFalse();
        assertThat(HeartbeatServlet.isJson("not a type")).isFalse();
        assertThat(HeartbeatServlet.isJson(null)).isFalse();
    }

    @Test
    void answersClientsThatAcceptJson() {
        assertThat(HeartbeatServlet.acceptsJson(null)).isTrue();
        assertThat(HeartbeatServlet.acceptsJson("*/*")).isTrue();
        assertThat(HeartbeatServlet.acceptsJson("application/json")).isTrue();
        assertThat(HeartbeatServlet.acceptsJson("text/html, application/*;q=0.5"))
                .isTrue();
        assertThat(HeartbeatServlet.acceptsJson("text/html")).isFalse();
        assertThat(HeartbeatServlet.acceptsJson("application/json;q=0")).isFalse();
        assertThat(HeartbeatServlet.acceptsJson("???")).isFalse();
    }
}
