package dev.licensor.server.session.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

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
        assertThat(HeartbeatServlet.acceptsJson(accept(null))).isTrue();
        assertThat(HeartbeatServlet.acceptsJson(accept("*/*"))).isTrue();
        assertThat(HeartbeatServlet.acceptsJson(accept("application/json"))).isTrue();
        assertThat(HeartbeatServlet.acceptsJson(accept("text/html, application/*;q=0.5")))
                .isTrue();
        assertThat(HeartbeatServlet.acceptsJson(accept("text/html"))).isFalse();
        assertThat(HeartbeatServlet.acceptsJson(accept("application/json;q=0"))).isFalse();
        assertThat(HeartbeatServlet.acceptsJson(accept("???"))).isFalse();
    }

    private static MockHttpServletRequest accept(String value) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", HeartbeatServlet.PATH);
        if (value != null) {
            request.addHeader("Accept", value);
        }
        return request;
    }
}
