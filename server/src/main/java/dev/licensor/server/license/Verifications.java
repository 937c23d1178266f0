package dev.licensor.server.license;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.licensor.protocol.ErrorCode;
import dev.licensor.protocol.Version;
import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.product.Product;
import dev.licensor.server.product.Products;
import dev.licensor.server.product.VersionInfo;
import dev.licensor.server.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Verification: a read-only verdict on a license, always answered with 200 and a {@code code}.
 * Verification never activates anything.
 */
@Service
public class Verifications {
    private final LicenseRepository licenses;
    private final LicenseKeys keys;
    private final LicenseViews views;
    private final Products products;
    private final ValidationLog validationLog;
    private final MessageSource messages;
    private final Clock clock;

    Verifications(
            LicenseRepository licenses,
            LicenseKeys keys,
            LicenseViews views,
            Products products,
            ValidationLog validationLog,
            MessageSource messages,
            Clock clock) {
        this.licenses = licenses;
        this.keys = keys;
        this.views = views;
        this.products = products;
        this.validationLog = validationLog;
        this.messages = messages;
        this.clock = clock;
    }

    /** The verdicts of {@code POST /api/license/verify}. */
    public enum Code {
        VALID,
        GRACE_PERIOD,
        NOT_FOUND,
        SUSPENDED,
        REVOKED,
        EXPIRED,
        NOT_YET_VALID,
        DEVICE_NOT_ACTIVATED,
        DEVICE_BLOCKED,
        FEATURE_NOT_ENTITLED,
        UPDATE_REQUIRED;

        boolean valid() {
            return this == VALID || this == GRACE_PERIOD;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verdict(
            boolean valid,
            Code code,
            String detail,
            @Nullable LicenseView license,
            List<String> features,
            @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant expiresAt,
            @Nullable Instant graceUntil,
            VersionInfo update,
            @Nullable Boolean featureEnabled,
            @Nullable String offlineToken) {
        /** The same verdict with an offline token attached. */
        public Verdict withOfflineToken(String token) {
            return new Verdict(
                    valid, code, detail, license, features, expiresAt, graceUntil, update, featureEnabled, token);
        }
    }

    /** A verdict plus what the caller needs to issue an offline token for it. */
    public record Result(Verdict verdict, @Nullable License license, @Nullable Device device, Product product) {}

    /**
     * No transaction: everything read from the database comes from one statement
     * ({@link LicenseRepository#findForVerify}), which is a consistent snapshot by itself, and an
     * autocommit statement is one round trip where a transaction takes three.
     */
    public Result verify(long productId, ClientRequests.Verify request, Locale locale) {
        Product product = products.cached(productId);
        Version version = Activations.parseVersion(request.version());
        VersionInfo update = VersionInfo.of(product, version);
        String hardwareHash =
                request.hardwareHash() != null && !request.hardwareHash().isBlank() ? request.hardwareHash() : null;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Optional<LicenseRepository.ForVerify> found = keys.lookup(request.licenseKey(), product.keyPrefix())
                .flatMap(lookup -> licenses.findForVerify(
                        product.id(),
                        lookup.compact(),
                        lookup.legacy(),
                        hardwareHash,
                        views.liveSessionsColumn(),
                        now));
        if (found.isEmpty()) {
            return log(
                    product,
                    null,
                    request,
                    new Result(
                            verdict(Code.NOT_FOUND, locale, null, List.of(), null, null, update, null),
                            null,
                            null,
                            product));
        }
        License license = found.get().license();
        LicenseView view = views.view(license, found.get().names(), found.get().liveSessions(), product);
        Usability usability = license.usability(now, product.expiryGraceDays());
        Code code =
                switch (usability) {
                    case REVOKED -> Code.REVOKED;
                    case SUSPENDED -> Code.SUSPENDED;
                    case NOT_YET_VALID -> Code.NOT_YET_VALID;
                    case EXPIRED -> Code.EXPIRED;
                    case USABLE -> Code.VALID;
                    case GRACE -> Code.GRACE_PERIOD;
                };
        Device device = null;
        if (code.valid() && update.updateRequired()) {
            code = Code.UPDATE_REQUIRED;
        }
        if (hardwareHash != null) {
            device = found.get().device();
            if (code.valid()) {
                if (device == null || device.status() == DeviceStatus.DEACTIVATED) {
                    code = Code.DEVICE_NOT_ACTIVATED;
                } else if (device.status() == DeviceStatus.BLOCKED) {
                    code = Code.DEVICE_BLOCKED;
                }
            }
        }
        Boolean featureEnabled = null;
        if (request.feature() != null && !request.feature().isBlank()) {
            featureEnabled = license.features().contains(request.feature().strip());
            if (code.valid() && !featureEnabled) {
                code = Code.FEATURE_NOT_ENTITLED;
            }
        }
        Instant graceUntil = code == Code.GRACE_PERIOD ? license.graceUntil(product.expiryGraceDays()) : null;
        Verdict verdict = verdict(
                code, locale, view, license.features(), license.expiresAt(), graceUntil, update, featureEnabled);
        Device active = device != null && device.status() == DeviceStatus.ACTIVE ? device : null;
        return log(product, license, request, new Result(verdict, license, active, product));
    }

    /** The license view for {@code GET /api/license/info/{key}}. */
    @Transactional(readOnly = true)
    public LicenseView info(long productId, String typedKey) {
        Product product = products.cached(productId);
        License license = find(product, typedKey).orElseThrow(() -> ApiException.of(ErrorCode.LICENSE_NOT_FOUND));
        return views.view(license, product);
    }

    private Optional<License> find(Product product, String typedKey) {
        return keys.lookup(typedKey, product.keyPrefix())
                .flatMap(lookup -> licenses.find(product.id(), lookup.compact(), lookup.legacy()));
    }

    private Verdict verdict(
            Code code,
            Locale locale,
            @Nullable LicenseView view,
            List<String> features,
            @Nullable Instant expiresAt,
            @Nullable Instant graceUntil,
            VersionInfo update,
            @Nullable Boolean featureEnabled) {
        String detail = messages.getMessage("verify." + code.name(), null, code.name(), locale);
        return new Verdict(
                code.valid(), code, detail, view, features, expiresAt, graceUntil, update, featureEnabled, null);
    }

    private Result log(Product product, @Nullable License license, ClientRequests.Verify request, Result result) {
        validationLog.record(
                product.id(),
                license == null ? null : license.id(),
                request.licenseKey(),
                "verify",
                result.verdict().code().name(),
                request.hardwareHash(),
                request.version());
        return result;
    }
}
