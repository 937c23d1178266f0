package dev.licensor.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.support.Db;
import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.MutableClock;
import dev.licensor.server.testing.MutableClockConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/** Usage metering (SPEC §2.2 {@code POST /api/license/usage}) and the admin API's quotas. */
@Import(MutableClockConfig.class)
class UsageIT extends AbstractAdminIT {
    private final MutableClock clock = MutableClock.SHARED;

    private Http.Response report(TestProduct product, String key, String metric, long amount) {
        return client(product, "/api/license/usage", Map.of("license_key", key, "metric", metric, "amount", amount));
    }

    private Http.Response setQuota(String key, String metric, Object body) {
        return admin("PUT", "/api/admin/licenses/" + key + "/quotas/" + metric, body);
    }

    @Test
    void usageCountsAgainstTheQuotaAndIsRefusedWholePastIt() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        assertThat(ok(setQuota(key, "exports", Map.of("limit", 10, "period", "MONTH")))
                        .get("remaining")
                        .asLong())
                .isEqualTo(10);

        JsonNode first = ok(report(product, key, "exports", 4));
        assertThat(first.get("metric").asString()).isEqualTo("exports");
        assertThat(first.get("used").asLong()).isEqualTo(4);
        assertThat(first.get("limit").asLong()).isEqualTo(10);
        assertThat(first.get("remaining").asLong()).isEqualTo(6);
        assertThat(first.get("period").asString()).isEqualTo("MONTH");
        assertThat(Instant.parse(first.get("resets_at").asString())).isAfter(clock.instant());

        Http.Response tooMuch = report(product, key, "exports", 7);
        assertThat(tooMuch.status()).as(tooMuch.toString()).isEqualTo(409);
        assertThat(tooMuch.code()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(tooMuch.json().get("used").asLong()).isEqualTo(4);
        assertThat(tooMuch.json().get("remaining").asLong()).isEqualTo(6);

        // Nothing of the refused amount was counted: exactly the rest still fits.
        assertThat(ok(report(product, key, "exports", 6)).get("remaining").asLong())
                .isZero();
        assertThat(report(product, key, "exports", 1).code()).isEqualTo("QUOTA_EXCEEDED");
        // An amount of 0 reads the count, even when the quota is used up.
        assertThat(ok(report(product, key, "exports", 0)).get("used").asLong()).isEqualTo(10);
    }

    @Test
    void aMetricWithoutAQuotaIsCountedWithoutALimit() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());

        report(product, key, "api.calls", 1_000_000);
        JsonNode counted = ok(report(product, key, "api.calls", 5));

        assertThat(counted.get("used").asLong()).isEqualTo(1_000_005);
        assertThat(counted.get("limit").isNull()).isTrue();
        assertThat(counted.get("remaining").isNull()).isTrue();
        assertThat(counted.get("period").asString()).isEqualTo("TOTAL");
        assertThat(counted.get("resets_at").isNull()).isTrue();
    }

    @Test
    void aDailyQuotaStartsAgainAtMidnightUtc() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        ok(setQuota(key, "renders", Map.of("limit", 3, "period", "day")));
        JsonNode used = ok(report(product, key, "renders", 3));
        assertThat(report(product, key, "renders", 1).code()).isEqualTo("QUOTA_EXCEEDED");

        Instant midnight = Instant.parse(used.get("resets_at").asString());
        clock.advance(Duration.between(clock.instant(), midnight).plusSeconds(1));

        JsonNode nextDay = ok(report(product, key, "renders", 1));
        assertThat(nextDay.get("used").asLong()).isEqualTo(1);
        assertThat(nextDay.get("remaining").asLong()).isEqualTo(2);
        assertThat(Instant.parse(nextDay.get("resets_at").asString())).isEqualTo(midnight.plus(Duration.ofDays(1)));
    }

    @Test
    void aQuotasCountIsWhatWasUsedInItsPeriodWhateverThePeriodWasBefore() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        long licenseId = jdbc.sql("SELECT id FROM licenses WHERE license_key = ?")
                .param(key)
                .query(Long.class)
                .single();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (today.getDayOfMonth() == 1) {
            // Yesterday must be in this month. (The shared clock moves as little as possible: a
            // suite-long advance near the 90-day log retention would drop real-time partitions.)
            clock.advance(Duration.ofDays(1));
            today = today.plusDays(1);
        }
        // Earlier use, written directly (the clock only moves forward): yesterday, the last day of
        // the previous month, and a lifetime count as the design before day counters kept it.
        counted(licenseId, today.minusDays(1), 3);
        counted(licenseId, today.withDayOfMonth(1).minusDays(1), 2);
        counted(licenseId, LocalDate.EPOCH, 1);
        ok(report(product, key, "exports", 5)); // no quota yet: counted, without a limit

        // A quota set later counts what was already used in its period.
        assertThat(ok(setQuota(key, "exports", Map.of("limit", 10, "period", "MONTH")))
                        .get("used")
                        .asLong())
                .isEqualTo(8);
        assertThat(ok(setQuota(key, "exports", Map.of("limit", 10, "period", "DAY")))
                        .get("used")
                        .asLong())
                .isEqualTo(5);
        assertThat(report(product, key, "exports", 6).code()).isEqualTo("QUOTA_EXCEEDED");
        ok(report(product, key, "exports", 5));
        assertThat(ok(setQuota(key, "exports", Map.of("limit", 100, "period", "TOTAL")))
                        .get("used")
                        .asLong())
                .isEqualTo(16);
        assertThat(ok(setQuota(key, "exports", Map.of("limit", 13, "period", "MONTH")))
                        .get("remaining")
                        .asLong())
                .isZero();
    }

    private void counted(long licenseId, LocalDate day, long used) {
        jdbc.sql(
                        """
                        INSERT INTO usage_counters (license_id, metric, period_start, used, updated_at)
                        VALUES (?, 'exports', ?, ?, ?)""")
                .params(licenseId, Db.ts(day.atStartOfDay(ZoneOffset.UTC).toInstant()), used, Db.ts(clock.instant()))
                .update();
    }

    @Test
    void concurrentReportsNeverCountPastTheQuota() throws Exception {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        ok(setQuota(key, "seats", Map.of("limit", 20, "period", "TOTAL")));
        int callers = 50;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                return report(product, key, "seats", 1);
            }));
        }
        go.countDown();
        int accepted = 0;
        int refused = 0;
        for (Future<Http.Response> answer : answers) {
            Http.Response response = answer.get(60, TimeUnit.SECONDS);
            if (response.status() == 200) {
                accepted++;
            } else {
                assertThat(response.code()).as(response.toString()).isEqualTo("QUOTA_EXCEEDED");
                refused++;
            }
        }
        pool.shutdown();

        assertThat(accepted).isEqualTo(20);
        assertThat(refused).isEqualTo(30);
        long stored = jdbc.sql("SELECT c.used FROM usage_counters c JOIN licenses l ON l.id = c.license_id"
                        + " WHERE l.license_key = ? AND c.metric = 'seats'")
                .param(key)
                .query(Long.class)
                .single();
        assertThat(stored).isEqualTo(20);
    }

    @Test
    void anUnusableLicenseCountsNothing() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        ok(admin("POST", "/api/admin/licenses/" + key + "/suspend", Map.of()));

        assertThat(report(product, key, "exports", 1).code()).isEqualTo("LICENSE_SUSPENDED");
        assertThat(report(product, product.prefix() + "-NOPE-NOPE-NOPE-NOPE", "exports", 1)
                        .status())
                .isEqualTo(404);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_counters c JOIN licenses l ON l.id = c.license_id"
                                + " WHERE l.license_key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void badReportsAreRefusedWithTheField() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());

        assertInvalid(report(product, key, "has space", 1), "metric");
        assertInvalid(report(product, key, "x".repeat(65), 1), "metric");
        assertInvalid(report(product, key, "exports", -1), "amount");
        assertInvalid(report(product, key, "exports", Usage.MAX_AMOUNT + 1), "amount");
        assertInvalid(client(product, "/api/license/usage", Map.of("license_key", key, "metric", "exports")), "amount");
    }

    @Test
    void quotasAreListedAsAPageByMetric() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());
        String other = licenseKey(product, Map.of());
        for (String metric : List.of("uploads", "api.calls", "exports")) {
            ok(setQuota(key, metric, Map.of("limit", 10, "period", "TOTAL")));
        }
        ok(setQuota(other, "seats", Map.of("limit", 1, "period", "DAY")));
        ok(report(product, key, "exports", 4));

        JsonNode quotas = assertPagedList("/api/admin/licenses/" + key + "/quotas", 3);

        assertThat(quotas.valueStream().map(q -> q.get("metric").asString()))
                .containsExactly("api.calls", "exports", "uploads");
        assertThat(quotas.get(1).get("used").asLong()).isEqualTo(4);
        assertThat(quotas.get(1).get("remaining").asLong()).isEqualTo(6);
        assertThat(adminGet("/api/admin/licenses/" + product.prefix() + "-00000-00000-00000-00000-00000/quotas")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void quotasAreListedChangedAndRemovedByAdministratorsAndAudited() {
        TestProduct product = product();
        JsonNode license = license(product, Map.of());
        String key = license.get("license_key").asString();
        ok(setQuota(key, "exports", Map.of("limit", 5, "period", "MONTH")));
        ok(report(product, key, "exports", 2));

        JsonNode listed = items(adminGet("/api/admin/licenses/" + key + "/quotas"));
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("metric").asString()).isEqualTo("exports");
        assertThat(listed.get(0).get("used").asLong()).isEqualTo(2);
        assertThat(listed.get(0).get("remaining").asLong()).isEqualTo(3);

        // Raised: the count stays, the room grows.
        assertThat(ok(setQuota(key, "exports", Map.of("limit", 8, "period", "MONTH")))
                        .get("remaining")
                        .asLong())
                .isEqualTo(6);
        assertThat(as(
                                Role.VIEWER,
                                "PUT",
                                "/api/admin/licenses/" + key + "/quotas/exports",
                                Map.of("limit", 1, "period", "DAY"))
                        .status())
                .isEqualTo(403);
        assertThat(as(
                                Role.SUPPORT,
                                "PUT",
                                "/api/admin/licenses/" + key + "/quotas/exports",
                                Map.of("limit", 9, "period", "MONTH"))
                        .status())
                .isEqualTo(200);

        assertThat(admin("DELETE", "/api/admin/licenses/" + key + "/quotas/exports", null)
                        .status())
                .isEqualTo(204);
        assertThat(admin("DELETE", "/api/admin/licenses/" + key + "/quotas/exports", null)
                        .status())
                .isEqualTo(404);
        assertThat(items(adminGet("/api/admin/licenses/" + key + "/quotas"))).isEmpty();
        assertThat(ok(report(product, key, "exports", 100)).get("limit").isNull())
                .isTrue();

        assertThat(auditActions("license", license.get("id").asLong()))
                .containsSubsequence(
                        "license.quota.set", "license.quota.set", "license.quota.set", "license.quota.delete");
    }

    @Test
    void badQuotasAreRefusedWithTheField() {
        TestProduct product = product();
        String key = licenseKey(product, Map.of());

        assertInvalid(setQuota(key, "exports", Map.of("limit", -1, "period", "DAY")), "limit");
        assertInvalid(setQuota(key, "exports", Map.of("limit", 1, "period", "WEEK")), "period");
        assertInvalid(setQuota(key, "exports", Map.of("limit", 1, "period", "DAY", "color", "red")), "color");
        assertInvalid(setQuota(key, "bad+metric", Map.of("limit", 1, "period", "DAY")), "metric");
        assertThat(setQuota(product.prefix() + "-NOPE-NOPE-NOPE-NOPE", "exports", Map.of("limit", 1, "period", "DAY"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void deletingALicenseTakesItsQuotasAndCountsWithIt() {
        TestProduct product = product();
        JsonNode license = license(product, Map.of());
        String key = license.get("license_key").asString();
        long id = license.get("id").asLong();
        ok(setQuota(key, "exports", Map.of("limit", 5, "period", "TOTAL")));
        ok(report(product, key, "exports", 1));
        assertThat(rows("usage_counters", id) + rows("usage_quotas", id)).isEqualTo(2);

        assertThat(admin("DELETE", "/api/admin/licenses/" + key, null).status()).isEqualTo(204);

        assertThat(rows("usage_counters", id) + rows("usage_quotas", id)).isZero();
    }

    private long rows(String table, long licenseId) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE license_id = ?")
                .param(licenseId)
                .query(Long.class)
                .single();
    }
}
