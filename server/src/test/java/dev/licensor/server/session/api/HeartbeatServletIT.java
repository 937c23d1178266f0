package dev.licensor.server.session.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.security.ClientContext;
import dev.licensor.server.session.Sessions;
import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.IndependentVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.validation.Validator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The heartbeat is served by its own servlet, not by Spring MVC (docs/PERFORMANCE.md): a plain
 * heartbeat never reaches the dispatcher, and every other request to the path is answered by the
 * dispatcher exactly as any client call is, with the filters in front of both.
 */
class HeartbeatServletIT extends AbstractIT {
    private static final String PATH = "/api/license/session/heartbeat";

    @Autowired
    @Qualifier("heartbeatServlet")
    ServletRegistrationBean<?> registration;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Sessions sessions;

    @Autowired
    JsonMapper json;

    @Autowired
    Validator validator;

    @Autowired
    @Qualifier("handlerExceptionResolver")
    HandlerExceptionResolver exceptions;

    @Autowired
    DispatcherServlet dispatcher;

    @Test
    void theServletOwnsTheHeartbeatPathAndAnswersAPlainHeartbeatItself() throws Exception {
        assertThat(registration.getUrlMappings()).containsExactly(PATH);
        assertThat(registration.getServlet()).isInstanceOf(HeartbeatServlet.class);
        TestProduct product = product(Map.of("heartbeat_interval", 1, "session_timeout", 2));
        String key = key(product);
        String token = started(product, key, "hw-servlet");
        AtomicInteger handedOn = new AtomicInteger();
        HeartbeatServlet servlet = new HeartbeatServlet(sessions, json, validator, exceptions, () -> {
            handedOn.incrementAndGet();
            return dispatcher;
        });

        // Straight into the servlet, past the filters: a valid heartbeat is answered here.
        MockHttpServletResponse served = call(servlet, product.id(), "POST", "application/json", body(token, key));
        assertThat(handedOn).hasValue(0);
        assertThat(served.getStatus()).isEqualTo(200);
        assertThat(served.getContentType()).isEqualTo("application/json");
        assertThat(served.getContentAsString()).contains("\"ok\":true", "\"next_heartbeat_in\":1");

        // A refusal of the heartbeat itself goes through the same exception handlers as MVC's.
        MockHttpServletResponse unknown = call(
                servlet,
                product.id(),
                "POST",
                "application/json",
                body(UUID.randomUUID().toString(), key));
        assertThat(handedOn).hasValue(0);
        assertThat(unknown.getStatus()).isEqualTo(404);
        assertThat(unknown.getContentAsString()).contains("SESSION_NOT_FOUND");

        // What it does not serve, the dispatcher answers (here: MVC's 415 for a text body).
        MockHttpServletResponse text = call(servlet, product.id(), "POST", "text/plain", body(token, key));
        assertThat(handedOn).hasValue(1);
        assertThat(text.getStatus()).isEqualTo(415);
        assertThat(text.getContentAsString()).contains("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void aHeartbeatIsSignedAndCountedUnderItsRouteLikeEveryClientCall() {
        TestProduct product = product();
        String key = key(product);
        String token = started(product, key, "hw-signed");
        double before = heartbeatsCounted("200");

        String nonce = "servlet-nonce-" + UUID.randomUUID();
        Http.Response beat =
                client(product, PATH, Map.of("session_token", token, "license_key", key), "X-Nonce", nonce);

        assertThat(beat.status()).as(beat.toString()).isEqualTo(200);
        assertThat(beat.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(IndependentVerifier.fetch(http).verifies(beat, "POST", PATH, nonce))
                .isTrue();
        assertThat(heartbeatsCounted("200")).isEqualTo(before + 1);
    }

    @Test
    void everyOtherRequestGetsTheAnswersTheApiGivesElsewhere() {
        TestProduct product = product();
        String key = key(product);
        String token = started(product, key, "hw-others");
        String json = Http.json(Map.of("session_token", token, "license_key", key));
        String apiKey = product.apiKey();

        Http.Response get = http.get(PATH, "X-API-Key", apiKey);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("POST");
        assertThat(get.code()).isEqualTo("METHOD_NOT_ALLOWED");

        Http.Response malformed = http.post(PATH, "{\"session_token\":", "X-API-Key", apiKey);
        assertThat(malformed.code()).isEqualTo("INVALID_REQUEST");
        assertThat(malformed.json().get("errors").get(0).get("message").asString())
                .isEqualTo("malformed JSON");

        Http.Response blank = http.post(
                PATH, Map.of("session_token", "", "license_key", key), "X-API-Key", apiKey, "Accept-Language", "de");
        assertThat(blank.code()).isEqualTo("INVALID_REQUEST");
        assertThat(blank.json().get("errors").get(0).get("field").asString()).isEqualTo("session_token");

        Http.Response html = http.post(PATH, json, "X-API-Key", apiKey, "Accept", "text/html");
        assertThat(html.status()).isEqualTo(406);

        Http.Response noKey = http.post(PATH, json);
        assertThat(noKey.code()).isEqualTo("INVALID_API_KEY");

        // A JSON type with parameters, or a +json type, is still a plain heartbeat.
        Http.Response withCharset =
                http.post(PATH, json, "X-API-Key", apiKey, "Accept", "application/json;q=0.9, text/html;q=0.1");
        assertThat(withCharset.status()).as(withCharset.toString()).isEqualTo(200);

        Http.Response german = http.post(
                PATH,
                Map.of("session_token", UUID.randomUUID().toString(), "license_key", key),
                "X-API-Key",
                apiKey,
                "Accept-Language",
                "de");
        assertThat(german.code()).isEqualTo("SESSION_NOT_FOUND");
        assertThat(german.json().get("detail").asString()).isEqualTo("Diese Sitzung ist nicht bekannt.");
    }

    private double heartbeatsCounted(String status) {
        Timer timer = meters.find("http.server.requests")
                .tag("uri", PATH)
                .tag("status", status)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private String key(TestProduct product) {
        return licenseKey(product, Map.of("device_limit", 2, "concurrent_sessions_limit", 1));
    }

    private String started(TestProduct product, String key, String hardwareHash) {
        Http.Response start = startSession(product, key, hardwareHash, "1.0.0");
        assertThat(start.status()).as(start.toString()).isEqualTo(200);
        return start.json().get("session_token").asString();
    }

    private static MockHttpServletResponse call(
            HeartbeatServlet servlet, long productId, String method, String contentType, String body) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, PATH);
        request.setContentType(contentType);
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        request.setAttribute(ClientContext.ATTRIBUTE, new ClientContext(productId, 0, "unused"));
        MockHttpServletResponse response = new MockHttpServletResponse();
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request, response));
        try {
            servlet.service(request, response);
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
        return response;
    }

    private static String body(String token, String key) {
        return Http.json(Map.of("session_token", token, "license_key", key));
    }
}
