package dev.licensor.server.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.licensor.server.license.License;
import dev.licensor.server.license.LicenseView;
import dev.licensor.server.product.Product;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Offline tokens (SPEC §5.4): a compact JWS ({@code alg: EdDSA}, {@code kid} of the signing key)
 * that any JWT library verifies with the keys published at {@code /api/keys}. A client keeps the
 * last one and runs offline until {@code exp}.
 *
 * <p>Claims: {@code iss} ({@code licensor.signing.issuer}), {@code sub} (the license key),
 * {@code product} (the product's name), {@code product_id}, {@code hw} (the hardware hash),
 * {@code features}, {@code lic_exp} (license expiry in epoch seconds, {@code null} when perpetual),
 * {@code iat}, and {@code exp} = min(now + {@code offline_grace_days}, license expiry +
 * {@code expiry_grace_days}).
 */
@Service
public class OfflineTokens {
    private final SigningKeys keys;
    private final Clock clock;
    private final String issuer;

    OfflineTokens(SigningKeys keys, Clock clock, SigningProperties properties) {
        this.keys = keys;
        this.clock = clock;
        this.issuer = properties.issuer();
    }

    /**
     * A token for a device of a usable license. Call it only after the license was found usable and
     * {@code hardwareHash} names an active device of it (activate, verify, session start).
     */
    public String issue(License license, Product product, String hardwareHash) {
        return issue(license.licenseKey(), license.features(), license.expiresAt(), product, hardwareHash);
    }

    /** The same, from the license as the client API shows it (session start answers with that view). */
    public String issue(LicenseView license, Product product, String hardwareHash) {
        return issue(license.licenseKey(), license.features(), license.expiresAt(), product, hardwareHash);
    }

    private String issue(
            String licenseKey,
            List<String> features,
            @Nullable Instant licenseExpiry,
            Product product,
            String hardwareHash) {
        Instant now = clock.instant();
        Instant expiry = now.plus(Duration.ofDays(product.offlineGraceDays()));
        if (licenseExpiry != null) {
            Instant licenseEnd = licenseExpiry.plus(Duration.ofDays(product.expiryGraceDays()));
            if (licenseEnd.isBefore(expiry)) {
                expiry = licenseEnd;
            }
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(licenseKey)
                .claim("product", product.name())
                .claim("product_id", product.id())
                .claim("hw", hardwareHash)
                .claim("features", features)
                .claim("lic_exp", licenseExpiry == null ? null : licenseExpiry.getEpochSecond())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiry))
                .serializeNullClaims(true)
                .build();
        SigningKeys.ActiveKey key = keys.active();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                        .keyID(key.kid())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(new Ed25519JwsSigner(key.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign an offline token", e);
        }
        return jwt.serialize();
    }

    /** Signs JWS objects with the server's {@link Ed25519} signing key (Nimbus's own needs Tink). */
    private static final class Ed25519JwsSigner implements JWSSigner {
        private final Ed25519.SigningKey key;
        private final JCAContext context = new JCAContext();

        Ed25519JwsSigner(Ed25519.SigningKey key) {
            this.key = key;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) {
            return Base64URL.encode(key.sign(signingInput));
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.EdDSA);
        }

        @Override
        public JCAContext getJCAContext() {
            return context;
        }
    }
}
