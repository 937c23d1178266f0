package dev.licensor.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineVerifierTest {
    static final String HW = "a".repeat(64);
    static final Instant ISSUED = Instant.parse("2026-11-23T12:00:00Z");
    static final Instant EXPIRES = ISSUED.plus(Duration.ofDays(7));

    @TempDir
    Path dir;

    KeyPair keys;
    OfflineTokenStore store;

    @BeforeEach
    void setUp() throws Exception {
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        store = new OfflineTokenStore(dir.resolve("app/license.jws"));
    }

    OfflineVerifier verifierAt(Instant now) {
        return new OfflineVerifier(
                Map.of("k1", keys.getPublic()), store, Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(5));
    }

    static String token(PrivateKey key, String headerJson, String claimsJson) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(key);
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64.encodeToString(signature.sign());
    }

    static String claims(String hw) {
        return """
                {"iss":"https://license.example.com","sub":"AF-7K2M4-9QX3B-PRT6W-ZH8NC-5DJ2A","product":"AF",
                 "hw":"%s","features":["export","pro"],"lic_exp":%d,"iat":%d,"exp":%d}"""
                .formatted(
                        hw,
                        ISSUED.plus(Duration.ofDays(365)).getEpochSecond(),
                        ISSUED.getEpochSecond(),
                        EXPIRES.getEpochSecond());
    }

    String validToken() throws Exception {
        return token(keys.getPrivate(), "{\"alg\":\"EdDSA\",\"kid\":\"k1\",\"typ\":\"JWT\"}", claims(HW));
    }

    @Test
    void aGenuineTokenForThisMachineIsValidAndDecoded() throws Exception {
        store.save(validToken());

        OfflineCheck check = verifierAt(ISSUED.plus(Duration.ofDays(2))).check(HW);

        assertThat(check).isInstanceOfSatisfying(OfflineCheck.Valid.class, valid -> {
            OfflineToken t = valid.token();
            assertThat(t.keyId()).isEqualTo("k1");
            assertThat(t.issuer()).isEqualTo("https://license.example.com");
            assertThat(t.licenseKey()).isEqualTo("AF-7K2M4-9QX3B-PRT6W-ZH8NC-5DJ2A");
            assertThat(t.product()).isEqualTo("AF");
            assertThat(t.hardwareHash()).isEqualTo(HW);
            assertThat(t.features()).containsExactly("export", "pro");
            assertThat(t.issuedAt()).isEqualTo(ISSUED);
            assertThat(t.expiresAt()).isEqualTo(EXPIRES);
            assertThat(t.licenseExpiresAt()).isEqualTo(ISSUED.plus(Duration.ofDays(365)));
        });
        assertThat(check.isValid()).isTrue();
        assertThat(store.lastSeen()).contains(ISSUED.plus(Duration.ofDays(2)));
    }

    @Test
    void anotherMachinesTokenIsRefused() throws Exception {
        store.save(validToken());
        assertThat(verifierAt(ISSUED.plusSeconds(60)).check("b".repeat(64)))
                .extracting(OfflineVerifierTest::reasonOf)
                .isEqualTo((OfflineCheck.Reason.WRONG_HARDWARE));
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        store.save(validToken());
        assertThat(verifierAt(EXPIRES).check(HW))
                .extracting(OfflineVerifierTest::reasonOf)
                .isEqualTo((OfflineCheck.Reason.EXPIRED));
        assertThat(verifierAt(EXPIRES.minusSeconds(1)).check(HW).isValid()).isTrue();
    }

    @Test
    void aClockMovedBackwardsIsRefused() throws Exception {
        store.save(validToken());
        Instant seen = ISSUED.plus(Duration.ofDays(3));
        assertThat(verifierAt(seen).check(HW).isValid()).isTrue();

        // Within the tolerance (NTP corrections) is fine; beyond it is not.
        assertThat(verifierAt(seen.minus(Duration.ofMinutes(4))).check(HW).isValid())
                .isTrue();
        assertThat(verifierAt(seen.minus(Duration.ofHours(1))).check(HW))
                .extracting(OfflineVerifierTest::reasonOf)
                .isEqualTo((OfflineCheck.Reason.CLOCK_MOVED_BACKWARDS));
        // The refusal does not lower the recorded time.
        assertThat(store.lastSeen()).contains(seen);
    }

    @Test
    void aClockBeforeTheIssueTimeIsRefusedEvenWithoutARecordedTime() throws Exception {
        store.save(validToken());
        assertThat(verifierAt(ISSUED.minus(Duration.ofDays(1))).check(HW))
                .extracting(OfflineVerifierTest::reasonOf)
                .isEqualTo((OfflineCheck.Reason.CLOCK_MOVED_BACKWARDS));
    }

    @Test
    void aTamperedTokenIsRefused() throws Exception {
        String genuine = validToken();
        String[] parts = genuine.split("\\.");
        String otherClaims = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(claims("b".repeat(64)).getBytes(StandardCharsets.UTF_8));
        store.save(parts[0] + "." + otherClaims + "." + parts[2]);

        assertThat(verifierAt(ISSUED.plusSeconds(60)).check("b".repeat(64)))
                .extracting(OfflineVerifierTest::reasonOf)
                .isEqualTo((OfflineCheck.Reason.BAD_SIGNATURE));
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() throws Exception {
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        store.save(token(other.getPrivate(), "{\"alg\":\"EdDSA\",\"kid\":\"k1\"}", claims(HW)));
        assertThat(verifierAt(ISSUED.plusSeconds(60)).check(HW))
                .extracting(OfflineVerifierTest::reasonOf)
                .isEqualTo((OfflineCheck.Reason.BAD_SIGNATURE));

        store.save(token(keys.getPrivate(), "{\"alg\":\"EdDSA\",\"kid\":\"k2\"}", claims(HW)));
        assertThat(verifierAt(ISSUED.plusSeconds(60)).check(HW))
                .extracting(OfflineVerifierTest::reasonOf)
                .isEqualTo((OfflineCheck.Reason.UNKNOWN_KEY));
    }

    @Test
    void malformedTokensAreRefused() throws Exception {
        OfflineVerifier verifier = verifierAt(ISSUED.plusSeconds(60));
        assertThat(verifier.check(HW))
                .extracting(OfflineVerifierTest::reasonOf)
                .isEqualTo((OfflineCheck.Reason.NO_TOKEN));
        String none = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("{\"alg\":\"none\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8))
                + "."
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(claims(HW).getBytes(StandardCharsets.UTF_8)) + ".";
        for (String bad : new String[] {"garbage", "a.b", none, "e30.e30.AA", validToken() + ".x"}) {
            assertThat(verifier.check(bad, HW))
                    .as(bad)
                    .extracting(OfflineVerifierTest::reasonOf)
                    .isEqualTo((OfflineCheck.Reason.MALFORMED));
        }
        String noExp = token(
                keys.getPrivate(),
                "{\"alg\":\"EdDSA\",\"kid\":\"k1\"}",
                "{\"sub\":\"x\",\"hw\":\"" + HW + "\",\"iat\":1}");
        assertThat(verifier.check(noExp, HW))
                .extracting(OfflineVerifierTest::reasonOf)
                .isEqualTo((OfflineCheck.Reason.MALFORMED));
    }

    @Test
    void theStoreWritesAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
        store.save("first.token.x");
        store.save("second.token.y");
        store.recordSeen(ISSUED);
        store.recordSeen(ISSUED.minusSeconds(10));

        assertThat(store.load()).contains("second.token.y");
        assertThat(store.lastSeen()).contains(ISSUED);
        try (Stream<Path> files = Files.list(store.tokenFile().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("license.jws", "license.jws.last-seen");
        }
        store.clear();
        assertThat(store.load()).isEmpty();
        assertThat(store.lastSeen()).contains(ISSUED);
    }

    @Test
    void aPublicKeyFromTheJwksVerifiesTokens() throws Exception {
        PublicKey fromJwks = JsonWebKeySet.parse(JsonWebKeySet.toJson(Map.of("k1", keys.getPublic())))
                .keys()
                .get("k1");
        store.save(validToken());
        OfflineVerifier verifier = new OfflineVerifier(
                Map.of("k1", fromJwks), store, Clock.fixed(ISSUED.plusSeconds(1), ZoneOffset.UTC), Duration.ZERO);
        assertThat(verifier.check(HW).isValid()).isTrue();
    }

    private static OfflineCheck.@Nullable Reason reasonOf(OfflineCheck check) {
        return check instanceof OfflineCheck.Invalid invalid ? invalid.reason() : null;
    }
}
