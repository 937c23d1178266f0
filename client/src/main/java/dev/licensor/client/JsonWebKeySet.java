package dev.licensor.client;

import dev.licensor.protocol.Ed25519Keys;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's public signing keys ({@code GET /api/keys}): verify response signatures and
 * offline tokens with them. Ship {@link #json()} inside the program and pin it with {@link
 * LicensorClient.Builder#pinnedKeys(String)}; fetching it at run time only protects against an
 * attacker who was not there on the first fetch.
 *
 * @param json the JWKS document as received
 * @param keys the usable Ed25519 keys by key id
 */
public record JsonWebKeySet(String json, Map<String, PublicKey> keys) {

    /** Copies the key map. */
    public JsonWebKeySet {
        keys = Map.copyOf(keys);
    }

    /**
     * Parses a JWKS document. Keys other than {@code kty: OKP, crv: Ed25519} (or marked {@code use}
     * other than {@code sig}) are skipped.
     *
     * @param json the document, e.g. the body of {@code /api/keys}
     * @return the key set
     * @throws IllegalArgumentException when the document is not a JWKS or a key is malformed
     */
    public static JsonWebKeySet parse(String json) {
        JsonObject root;
        try {
            root = new JsonObject(Json.parseObject(json));
        } catch (Json.JsonException e) {
            throw new IllegalArgumentException("not a JWKS document: " + e.getMessage(), e);
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        List<JsonObject> entries;
        try {
            entries = root.objectList("keys");
        } catch (InvalidResponseException e) {
            throw new IllegalArgumentException("not a JWKS document: " + e.detail(), e);
        }
        for (JsonObject key : entries) {
            if (!"OKP".equals(key.optString("kty")) || !"Ed25519".equals(key.optString("crv"))) {
                continue;
            }
            String use = key.optString("use");
            if (use != null && !use.equals("sig")) {
                continue;
            }
            String kid = key.optString("kid");
            String x = key.optString("x");
            if (kid == null || x == null) {
                throw new IllegalArgumentException("a JWKS Ed25519 key needs kid and x");
            }
            keys.put(kid, Ed25519Keys.fromJwkX(x));
        }
        return new JsonWebKeySet(json, keys);
    }

    /**
     * Writes a JWKS document for some keys, e.g. for tests or to store keys obtained otherwise.
     *
     * @param keys Ed25519 public keys by key id
     * @return the JWKS JSON text
     */
    public static String toJson(Map<String, PublicKey> keys) {
        List<Object> list = new ArrayList<>();
        keys.forEach((kid, key) -> list.add(Json.object()
                .put("kty", "OKP")
                .put("crv", "Ed25519")
                .put("use", "sig")
                .put("alg", "EdDSA")
                .put("kid", kid)
                .put("x", Ed25519Keys.toJwkX(key))
                .build()));
        return Json.write(Map.of("keys", list));
    }
}
