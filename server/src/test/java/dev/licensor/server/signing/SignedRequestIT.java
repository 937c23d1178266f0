package dev.licensor.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.testing.AbstractIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.IndependentVerifier;
import dev.licensor.server.testing.SecondInstance;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

class SignedRequestIT extends AbstractIT {
    @Autowired
    Environment environment;

    @Autowired
    ValidationLog validationLog;

    TestProduct product;
    String body;

    @BeforeEach
    void signedProduct() {
        product = product(Map.of("require_signed_requests", true));
        body = Http.json(Map.of("license_key", licenseKey(product, Map.of())));
    }

    static String nonce() {
        return UUID.randomUUID().toString();
    }

    Http.Response verify(Http client, String[] headers) {
        return client.send("POST", "/api/license/verify", body, headers);
    }

    String[] signed(long timestamp, String nonce) {
        return SignedRequests.headers(
                product.apiKey(), product.signingSecret(), "POST", "/api/license/verify", body, timestamp, nonce);
    }

    @Test
    void acceptsASignedRequestOnce() {
        String nonce = nonce();
        String[] headers = signed(Instant.now().getEpochSecond(), nonce);

        Http.Response first = verify(http, headers);
        Http.Response replay = verify(http, headers);

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.code()).isEqualTo("VALID");
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.code()).isEqualTo("NONCE_REPLAYED");
        assertThat(IndependentVerifier.fetch(http).verifies(replay, "POST", "/api/license/verify", nonce))
                .isTrue();
    }

    @Test
    void refusesUnsignedForgedAndStaleRequests() {
        Http.Response unsigned = client(product, "/api/license/verify", body);
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(unsigned.code()).isEqualTo("SIGNATURE_REQUIRED");

        long now = Instant.now().getEpochSecond();
        String[] forged = SignedRequests.headers(
                product.apiKey(), "not-the-secret", "POST", "/api/license/verify", body, now, nonce());
        assertThat(verify(http, forged).code()).isEqualTo("SIGNATURE_INVALID");

        String[] otherBody = SignedRequests.headers(
                product.apiKey(), product.signingSecret(), "POST", "/api/license/verify", "{}", now, nonce());
        assertThat(verify(http, otherBody).code()).isEqualTo("SIGNATURE_INVALID");

        String[] shortNonce = signed(now, "short");
        assertThat(verify(http, shortNonce).code()).isEqualTo("SIGNATURE_INVALID");

        // Margins of a minute around the 300 s window: the machine may take seconds between here and
        // the server's check, and the test is about the window, not about timing.
        Http.Response stale = verify(http, signed(now - 360, nonce()));
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.code()).isEqualTo("TIMESTAMP_OUT_OF_WINDOW");
        assertThat(verify(http, signed(now + 360, nonce())).code()).isEqualTo("TIMESTAMP_OUT_OF_WINDOW");
        assertThat(verify(http, signed(now - 240, nonce())).code()).isEqualTo("VALID");

        validationLog.flush();
        assertThat(jdbc.sql("SELECT result_code FROM validation_log WHERE product_id = ? AND action = 'verify'")
                        .param(product.id())
                        .query(String.class)
                        .list())
                .contains("SIGNATURE_REQUIRED", "SIGNATURE_INVALID", "TIMESTAMP_OUT_OF_WINDOW", "VALID");
    }

    @Test
    void theQueryStringIsPartOfTheSignedPath() {
        String key = licenseKey(product, Map.of());
        String path = "/api/license/info/" + key + "?lang=en";
        long now = Instant.now().getEpochSecond();

        String[] withQuery =
                SignedRequests.headers(product.apiKey(), product.signingSecret(), "GET", path, "", now, nonce());
        String[] withoutQuery = SignedRequests.headers(
                product.apiKey(), product.signingSecret(), "GET", "/api/license/info/" + key, "", now, nonce());

        assertThat(http.get(path, withQuery).status()).isEqualTo(200);
        assertThat(http.get(path, withoutQuery).code()).isEqualTo("SIGNATURE_INVALID");
    }

    @Test
    void productsWithoutSigningAcceptUnsignedRequests() {
        TestProduct plain = product();
        String key = licenseKey(plain, Map.of());

        assertThat(client(plain, "/api/license/verify", Map.of("license_key", key))
                        .code())
                .isEqualTo("VALID");
    }

    @Test
    void aReplayToAnotherInstanceIsRefusedToo() {
        try (SecondInstance second = SecondInstance.start(environment, Map.of())) {
            String[] headers = signed(Instant.now().getEpochSecond(), nonce());

            Http.Response first = verify(http, headers);
            Http.Response replayElsewhere = verify(second.http(), headers);
            Http.Response freshElsewhere =
                    verify(second.http(), signed(Instant.now().getEpochSecond(), nonce()));

            assertThat(first.code()).isEqualTo("VALID");
            assertThat(replayElsewhere.status()).isEqualTo(401);
            assertThat(replayElsewhere.code()).isEqualTo("NONCE_REPLAYED");
            assertThat(freshElsewhere.code()).isEqualTo("VALID");
        }
    }
}
