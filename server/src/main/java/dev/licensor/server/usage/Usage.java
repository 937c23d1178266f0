package dev.licensor.server.usage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.license.Activations;
import dev.licensor.server.license.License;
import dev.licensor.server.license.LicenseAdmin;
import dev.licensor.server.product.Product;
import dev.licensor.server.product.Products;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Usage metering (SPEC §2.2): a client reports an amount of a metric for a license, and the amount
 * counts against the license's quota for that metric in the current period, or is refused whole
 * with {@code 409 QUOTA_EXCEEDED}. The check and the count happen in one transaction holding the
 * license row lock, so concurrent calls on any number of instances never count past the limit. A
 * metric without a quota is counted over the license's lifetime, without a limit. An amount of 0
 * reads the count without changing it.
 */
@Service
public class Usage {
    /** A metric name: letters, digits and {@code _ . : -}, starting with a letter or digit. */
    public static final String METRIC_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}";

    public static final long MAX_AMOUNT = 1_000_000_000L;
    private static final Pattern METRIC = Pattern.compile(METRIC_PATTERN);
    private static final Set<String> QUOTA_FIELDS = Set.of("limit", "period");
    private static final int MAX_LIMIT = 2_000_000_000;

    private final UsageRepository repository;
    private final Activations activations;
    private final LicenseAdmin licenses;
    private final Products products;
    private final ValidationLog validationLog;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    Usage(
            UsageRepository repository,
            Activations activations,
            LicenseAdmin licenses,
            Products products,
            ValidationLog validationLog,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.repository = repository;
        this.activations = activations;
        this.licenses = licenses;
        this.products = products;
        this.validationLog = validationLog;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** {@code POST /api/license/usage}; unknown fields are ignored, as everywhere in the client API. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Report(
            @NotBlank @Size(max = 128) String licenseKey,
            @NotBlank @jakarta.validation.constraints.Pattern(regexp = METRIC_PATTERN) String metric,
            @NotNull @Min(0) @Max(MAX_AMOUNT) Long amount) {}

    /**
     * The answer: the count after this call, the quota ({@code null}: none) and what is left of it,
     * the period counted, and when the count starts again ({@code null}: never).
     */
    public record Counted(
            String metric,
            long used,
            @Nullable Long limit,
            @Nullable Long remaining,
            Period period,
            @Nullable Instant resetsAt) {}

    /** A quota as the admin API shows it, with the current period's count. */
    public record QuotaView(
            String metric, long limit, Period period, long used, long remaining, @Nullable Instant resetsAt) {}

    /** Counts a reported amount against the license's quota for the metric; all of it or nothing. */
    public Counted report(long productId, Report report) {
        Product product = products.cached(productId);
        AtomicReference<@Nullable Long> licenseId = new AtomicReference<>();
        try {
            Counted counted = tx.execute(status -> {
                License license = activations.lockUsable(product, report.licenseKey());
                licenseId.set(license.id());
                return count(license.id(), report.metric(), report.amount());
            });
            validationLog.record(productId, licenseId.get(), report.licenseKey(), "usage", "OK", null, null);
            return java.util.Objects.requireNonNull(counted);
        } catch (ApiException e) {
            validationLog.record(
                    productId,
                    licenseId.get(),
                    report.licenseKey(),
                    "usage",
                    e.code().name(),
                    null,
                    null);
            throw e;
        }
    }

    private Counted count(long licenseId, String metric, long amount) {
        Instant now = clock.instant();
        Optional<UsageRepository.Quota> quota = repository.quota(licenseId, metric);
        Period period = quota.map(UsageRepository.Quota::period).orElse(Period.TOTAL);
        Instant start = period.start(now);
        long used = repository.used(licenseId, metric, start);
        // Saturating: a count that would overflow is past any quota, and otherwise refused below.
        long after = used > Long.MAX_VALUE - amount ? Long.MAX_VALUE : used + amount;
        if (quota.isPresent() && after > quota.get().limit()) {
            long limit = quota.get().limit();
            throw ApiException.of(ErrorCode.QUOTA_EXCEEDED)
                    .with("metric", metric)
                    .with("used", used)
                    .with("limit", limit)
                    .with("remaining", Math.max(0, limit - used))
                    .with("period", period)
                    .with("resets_at", period.end(now));
        }
        if (after == Long.MAX_VALUE) {
            throw ApiException.of(ErrorCode.INVALID_REQUEST).detail("usage.overflow");
        }
        if (amount > 0) {
            repository.add(licenseId, metric, Period.DAY.start(now), amount, now);
        }
        Long limit = quota.map(UsageRepository.Quota::limit).orElse(null);
        return new Counted(metric, after, limit, limit == null ? null : limit - after, period, period.end(now));
    }

    /** The quotas of a license, with the current period's counts. */
    @Transactional(readOnly = true)
    public List<QuotaView> quotas(String typedKey) {
        License license = licenses.findForAdmin(typedKey);
        Instant now = clock.instant();
        return repository.quotas(license.id()).stream()
                .map(q -> view(license.id(), q, now))
                .toList();
    }

    /** One page of the license's quotas, by metric, with the current period's counts. */
    @Transactional(readOnly = true)
    public PageResponse<QuotaView> quotas(String typedKey, PageResponse.Paging paging) {
        License license = licenses.findForAdmin(typedKey);
        Instant now = clock.instant();
        List<QuotaView> page = repository.quotas(license.id(), paging.offset(), paging.size()).stream()
                .map(q -> view(license.id(), q, now))
                .toList();
        return PageResponse.of(page, paging, repository.countQuotas(license.id()));
    }

    /** Sets (creates or replaces) a license's quota for a metric: {@code {limit, period}}; audited. */
    @Transactional
    public QuotaView setQuota(String typedKey, String metric, @Nullable JsonNode body) {
        requireMetric(metric);
        JsonFields f = new JsonFields(body, QUOTA_FIELDS);
        Integer limit = f.integer("limit", 0, MAX_LIMIT, false);
        String periodName = f.string("period", 8, false);
        Period period = null;
        if (periodName != null) {
            try {
                period = Period.valueOf(periodName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                f.error("period", "must be DAY, MONTH or TOTAL");
            }
        }
        f.validate();
        License license = licenses.lockForAdmin(typedKey);
        Instant now = clock.instant();
        Optional<UsageRepository.Quota> before = repository.quota(license.id(), metric);
        UsageRepository.Quota quota = new UsageRepository.Quota(
                metric, java.util.Objects.requireNonNull(limit), java.util.Objects.requireNonNull(period));
        repository.setQuota(license.id(), quota, now);
        QuotaView after = view(license.id(), quota, now);
        audit.record(
                "license.quota.set",
                "license",
                license.id(),
                before.map(q -> view(license.id(), q, now)).orElse(null),
                after);
        return after;
    }

    /** Removes a license's quota for a metric (its counts stay); audited. */
    @Transactional
    public void deleteQuota(String typedKey, String metric) {
        requireMetric(metric);
        License license = licenses.lockForAdmin(typedKey);
        Instant now = clock.instant();
        UsageRepository.Quota before = repository
                .quota(license.id(), metric)
                .orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND).detail("usage.quota-not-found", metric));
        repository.deleteQuota(license.id(), metric);
        audit.record("license.quota.delete", "license", license.id(), view(license.id(), before, now), null);
    }

    private QuotaView view(long licenseId, UsageRepository.Quota quota, Instant now) {
        long used = repository.used(licenseId, quota.metric(), quota.period().start(now));
        return new QuotaView(
                quota.metric(),
                quota.limit(),
                quota.period(),
                used,
                Math.max(0, quota.limit() - used),
                quota.period().end(now));
    }

    private static void requireMetric(String metric) {
        if (!METRIC.matcher(metric).matches()) {
            throw JsonFields.invalid(
                    "metric", "letters, digits and _ . : - only, at most 64, starting with a letter or digit");
        }
    }
}
