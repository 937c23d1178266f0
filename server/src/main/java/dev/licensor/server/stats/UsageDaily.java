package dev.licensor.server.stats;

import dev.licensor.protocol.LicenseKeyFormat;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import dev.licensor.server.web.Problems;
import dev.licensor.server.web.SafeStrings;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Daily usage statistics (SPEC §6): per license and UTC day, the devices that ran the program and
 * the session minutes, computed from the sessions table once a day is over (docs/ADMIN-API.md, "Usage statistics").
 * A day is always computed whole and replaces what was there, so computing it again is harmless;
 * computations of one day on several instances follow each other (a row lock), and the scheduled
 * runs are on one instance at a time anyway ({@link UsageStatsJobs}).
 */
@Service
public class UsageDaily {
    private static final Logger log = LoggerFactory.getLogger(UsageDaily.class);
    private static final int DEFAULT_DAYS = 30;
    private static final LocalDate EARLIEST = LocalDate.of(1970, 1, 1);
    private static final LocalDate LATEST = LocalDate.of(9999, 12, 31);

    private final UsageDailyRepository repository;
    private final TransactionTemplate tx;
    private final UsageStatsProperties properties;
    private final Clock clock;

    UsageDaily(UsageDailyRepository repository, TransactionTemplate tx, UsageStatsProperties properties, Clock clock) {
        this.repository = repository;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
    }

    /** One license's figures of one day. */
    public record Row(
            LocalDate day, long productId, long licenseId, String licenseKey, int activeDevices, long sessionMinutes) {}

    /** One product's figures of one day: the sum of its licenses' rows. */
    public record DayTotal(LocalDate day, long productId, long licenses, long activeDevices, long sessionMinutes) {}

    /**
     * {@code GET /api/admin/usage-stats}: a page of rows (newest day first), and the totals per day
     * and product of every row the filter matches; {@code computedThrough} is the latest day
     * computed (null before the first run).
     */
    public record Report(
            LocalDate from,
            LocalDate to,
            @Nullable LocalDate computedThrough,
            List<Row> items,
            int page,
            int size,
            long total,
            List<DayTotal> totals) {}

    /** Every day of a range, oldest first, with the figures summed over the matching licenses (0 without use). */
    public record Series(List<LocalDate> days, List<Long> activeDevices, List<Long> sessionMinutes) {}

    /** A validated filter: a range of at most {@link UsageStatsProperties#MAX_RANGE_DAYS} days. */
    public record Query(@Nullable Long productId, @Nullable String licenseKey, LocalDate from, LocalDate to) {}

    /** The previous UTC day: the latest one that is over. */
    public LocalDate yesterday() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
    }

    /**
     * Checks the filter parameters as typed and fills the defaults: {@code to} yesterday,
     * {@code from} 29 days before {@code to}. Refused with {@code INVALID_REQUEST} naming the
     * parameter: a date that is not {@code yyyy-MM-dd}, {@code from} after {@code to}, a range over
     * {@link UsageStatsProperties#MAX_RANGE_DAYS} days, an over-long or unprintable key.
     */
    public Query query(
            @Nullable Long productId, @Nullable String licenseKey, @Nullable String from, @Nullable String to) {
        List<Problems.FieldError> errors = new ArrayList<>();
        String key = null;
        if (licenseKey != null && !licenseKey.isBlank()) {
            if (licenseKey.length() > 128) {
                errors.add(new Problems.FieldError("license_key", "at most 128 characters"));
            } else if (!SafeStrings.isSafe(licenseKey)) {
                errors.add(new Problems.FieldError("license_key", "contains characters that are not allowed"));
            } else {
                key = licenseKey.strip();
            }
        }
        LocalDate last = date("to", to, errors);
        LocalDate first = date("from", from, errors);
        if (!errors.isEmpty()) {
            throw JsonFields.invalid(errors);
        }
        if (last == null) {
            last = first == null ? yesterday() : max(first, yesterday());
        }
        if (first == null) {
            first = last.minusDays(DEFAULT_DAYS - 1L);
        }
        if (first.isAfter(last)) {
            throw JsonFields.invalid("from", "must not be after to");
        }
        if (ChronoUnit.DAYS.between(first, last) >= UsageStatsProperties.MAX_RANGE_DAYS) {
            throw JsonFields.invalid(
                    "from", "the range may span at most " + UsageStatsProperties.MAX_RANGE_DAYS + " days");
        }
        return new Query(productId, key, first, last);
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static @Nullable LocalDate date(String field, @Nullable String text, List<Problems.FieldError> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(text.strip());
            if (day.isBefore(EARLIEST) || day.isAfter(LATEST)) {
                errors.add(new Problems.FieldError(field, "must be between 1970-01-01 and 9999-12-31"));
                return null;
            }
            return day;
        } catch (DateTimeParseException e) {
            errors.add(new Problems.FieldError(field, "must be a date such as 2026-11-23"));
            return null;
        }
    }

    @Transactional(readOnly = true)
    public Report report(Query query, PageResponse.Paging paging) {
        UsageDailyRepository.Filter filter = filter(query);
        return new Report(
                query.from(),
                query.to(),
                repository.lastComputedDay().orElse(null),
                repository.rows(filter, paging.offset(), paging.size()),
                paging.page(),
                paging.size(),
                repository.count(filter),
                repository.totals(filter));
    }

    /** The rows of a page, for exports. */
    @Transactional(readOnly = true)
    public PageResponse<Row> rows(Query query, PageResponse.Paging paging) {
        UsageDailyRepository.Filter filter = filter(query);
        return PageResponse.of(
                repository.rows(filter, paging.offset(), paging.size()), paging, repository.count(filter));
    }

    /** The figures of every day of the range, summed over the products and licenses the filter matches. */
    @Transactional(readOnly = true)
    public Series series(Query query) {
        Map<LocalDate, long[]> sums = new HashMap<>();
        for (DayTotal t : repository.totals(filter(query))) {
            long[] sum = sums.computeIfAbsent(t.day(), d -> new long[2]);
            sum[0] += t.activeDevices();
            sum[1] += t.sessionMinutes();
        }
        List<LocalDate> days = new ArrayList<>();
        List<Long> devices = new ArrayList<>();
        List<Long> minutes = new ArrayList<>();
        for (LocalDate day = query.from(); !day.isAfter(query.to()); day = day.plusDays(1)) {
            long[] sum = sums.getOrDefault(day, new long[2]);
            days.add(day);
            devices.add(sum[0]);
            minutes.add(sum[1]);
        }
        return new Series(days, devices, minutes);
    }

    private static UsageDailyRepository.Filter filter(Query query) {
        return new UsageDailyRepository.Filter(
                query.from(),
                query.to(),
                query.productId(),
                query.licenseKey() == null ? null : LicenseKeyFormat.compact(query.licenseKey()));
    }

    /**
     * Computes one day that is over, replacing its rows; how many licenses were used that day.
     *
     * @throws IllegalArgumentException for today or a later day, whose sessions are still running
     */
    public int computeDay(LocalDate day) {
        if (day.isAfter(yesterday())) {
            throw new IllegalArgumentException(day + " is not over yet (UTC)");
        }
        Instant now = clock.instant();
        Integer licenses = tx.execute(status -> {
            repository.lock();
            return repository.computeDay(day, now);
        });
        return licenses == null ? 0 : licenses;
    }

    /**
     * Computes the days from yesterday back to {@code backfill-days} that were never computed,
     * oldest first, each in its own transaction; with {@code recomputeYesterday}, yesterday in any
     * case. Then removes the days older than {@code retention-days}. The days computed.
     */
    public List<LocalDate> catchUp(boolean recomputeYesterday) {
        LocalDate last = yesterday();
        LocalDate first = last.minusDays(properties.backfillDays() - 1L);
        Set<LocalDate> done = repository.computedDays(first, last);
        List<LocalDate> computed = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            if (!done.contains(day) || (recomputeYesterday && day.equals(last))) {
                computeDay(day);
                computed.add(day);
            }
        }
        if (properties.retentionDays() > 0) {
            int removed = repository.deleteBefore(last.minusDays(properties.retentionDays() - 1L));
            if (removed > 0) {
                log.info("usage statistics: removed {} rows older than {} days", removed, properties.retentionDays());
            }
        }
        if (computed.size() > 1) {
            log.info("usage statistics: computed {} days, {} to {}", computed.size(), computed.getFirst(), last);
        } else if (computed.size() == 1) {
            log.debug("usage statistics: computed {}", computed.getFirst());
        }
        return computed;
    }
}
