package dev.licensor.server.signing.api;

import dev.licensor.server.signing.SigningKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/keys}: the public keys of response signatures and offline tokens (no API key needed). */
@RestController
@Tag(name = "Client: keys", description = "Public keys for verifying responses and offline tokens")
class PublicKeysController {
    private final SigningKeys keys;

    PublicKeysController(SigningKeys keys) {
        this.keys = keys;
    }

    @GetMapping(
            value = "/api/keys",
            produces = {"application/jwk-set+json", "application/json"})
    @Operation(summary = "The published Ed25519 public keys as a JWKS (kty OKP, crv Ed25519, kid)")
    ResponseEntity<Map<String, Object>> keys() {
        return ResponseEntity.ok()
                .cacheControl(CacheControl.maxAge(Duration.ofMinutes(1)).cachePublic())
                .body(keys.jwks());
    }
}
