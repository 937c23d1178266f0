package dev.licensor.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.support.Db;
import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.MutableClock;
import dev.licensor.server.testing.MutableClockConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.config.CronTask;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.scheduling.support.SimpleTriggerContext;
import tools.jackson.databind.JsonNode;

/**
 * The daily usage statistics (SPEC §6): sessions across a UTC midnight split into their days in
 * exact minutes and device counts, open sessions counted to their {@code live_until}, re-runs
 * replacing a day, the back-fill of days never computed within the horizon, the schedule, and
 * {@code GET /api/admin/usage-stats} (roles, totals, bad parameters). The clock stands still
 * between the steps, so every figure is exact.
 */
@Import(MutableClockConfig.class)
class UsageStatsIT extends AbstractAdminIT {
    private final MutableClock clock = MutableClock.SHARED;

    @Autowired
    private UsageDaily usage;

    @Autowired
    private ValidationLog validationLog;

    @Autowired
    private List<ScheduledTaskHolder> schedulers;

    /** The next UTC midnight at least {@code before} away. */
    private Instant midnightAhead(Duration before) {
        Instant now = clock.instant();
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC)
                .plusDays(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        return midnight.minus(before).isBefore(now) ? midnight.plus(1, ChronoUnit.DAYS) : midnight;
    }

    private void at(Instant target) {
        Duration ahead = Duration.between(clock.instant(), target);
        assertThat(ahead.isNegative()).as("the clock only moves forward").isFalse();
        clock.advance(ahead);
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant time(LocalDate day, int hour, int minute) {
        return day.atTime(LocalTime.of(hour, minute)).toInstant(ZoneOffset.UTC);
    }

    private String started(TestProduct product, String key, String hardwareHash) {
        Http.Response response = startSession(product, key, hardwareHash, "1.0.0");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("session_token").asString();
    }

    private void beat(TestProduct product, String key, String... tokens) {
        for (String token : tokens) {
            Http.Response response = client(
                    product, "/api/license/session/heartbeat", Map.of("session_token", token, "license_key", key));
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
        }
    }

    private void end(TestProduct product, String token) {
        Http.Response response = client(product, "/api/license/session/end", Map.of("session_token", token));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private long licenseId(String key) {
        return jdbc.sql("SELECT id FROM licenses WHERE license_key = ?")
                .param(key)
                .query(Long.class)
                .single();
    }

    /** A license's row of a day: {active_devices, session_minutes}, or null without a row. */
    private long @Nullable [] row(String key, LocalDate day) {
        return jdbc.sql(
                        "SELECT active_devices, session_minutes FROM usage_daily WHERE license_id = ? AND usage_day = ?")
                .params(licenseId(key), day)
                .query((rs, n) -> new long[] {rs.getLong("active_devices"), rs.getLong("session_minutes")})
                .optional()
                .orElse(null);
    }

    private Http.Response stats(String query) {
        return adminGet("/api/admin/usage-stats?" + query);
    }

    /** A product whose sessions time out after 10 minutes without heartbeat. */
    private TestProduct tenMinuteProduct() {
        return product(Map.of("heartbeat_interval", 60, "session_timeout", 600));
    }

    private String license(TestProduct product) {
        return licenseKey(product, Map.of("device_limit", 5, "concurrent_sessions_limit", 5));
    }

    @Test
    void sessionsAcrossMidnightCountInBothDaysInWholeMinutes() {
        TestProduct product = tenMinuteProduct();
        String key = license(product);
        String other = license(product);
        String unused = license(product);
        Instant midnight = midnightAhead(Duration.ofMinutes(31));
        LocalDate before = day(midnight.minusSeconds(1));
        LocalDate after = day(midnight);

        at(midnight.minus(Duration.ofMinutes(30)));
        assertThat(activate(product, unused, "hw-idle").status()).isEqualTo(200);
        // The activation makes the device active that day through the validation log, which is
        // written in batches every 200 ms: written now, before any day is computed.
        validationLog.flush();
        String a = started(product, key, "hw-1");
        // Heartbeats every 5 minutes keep a session alive (timeout: 10 minutes).
        at(midnight.minus(Duration.ofMinutes(25)));
        beat(product, key, a);
        at(midnight.minus(Duration.ofMinutes(20)));
        beat(product, key, a);
        at(midnight.minus(Duration.ofMinutes(15)));
        beat(product, key, a);
        at(midnight.minus(Duration.ofMinutes(10)));
        beat(product, key, a);
        String b = started(product, key, "hw-2");
        at(midnight.minus(Duration.ofMinutes(5)));
        beat(product, key, a, b);
        String e = started(product, other, "hw-other");
        at(midnight);
        beat(product, key, a, b);
        // Ends exactly at midnight: 5 minutes of the day before, nothing of the new day.
        end(product, e);
        at(midnight.plus(Duration.ofMinutes(5)));
        beat(product, key, a, b);
        at(midnight.plus(Duration.ofMinutes(10)));
        beat(product, key, a, b);

        // Computed while a and b still run (not ended: counted to their live_until, clipped to the day).
        assertThat(usage.computeDay(before)).isGreaterThanOrEqualTo(2);
        assertThat(row(key, before)).containsExactly(2, 30 + 10);
        assertThat(row(other, before)).containsExactly(1, 5);

        at(midnight.plus(Duration.ofMinutes(15)));
        end(product, a);
        // b gets no heartbeat after +10 min: it times out at +20 min (its live_until).
        at(midnight.plus(Duration.ofHours(1)));
        String c = started(product, key, "hw-3");
        at(midnight.plus(Duration.ofHours(1)).plusSeconds(30));
        end(product, c);
        at(midnight.plus(Duration.ofHours(3)));
        String d = started(product, key, "hw-3");
        at(midnight.plus(Duration.ofHours(3)).plusSeconds(45));
        end(product, d);

        // The day is over: both days computed from the ended sessions.
        at(midnight.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(5)));
        usage.computeDay(before);
        usage.computeDay(after);
        assertThat(row(key, before)).as("the same as while they ran").containsExactly(2, 40);
        // 15 + 20 minutes, and 30 s + 45 s summed before rounding down: 36 minutes, not 35.
        assertThat(row(key, after)).containsExactly(3, 36);
        assertThat(row(other, before)).containsExactly(1, 5);
        assertThat(row(other, after)).as("a session ending at midnight").isNull();
        assertThat(row(unused, before))
                .as("activated, never run: active, no minutes")
                .containsExactly(1, 0);
        assertThat(row(unused, after)).as("no use that day").isNull();

        JsonNode report = ok(stats("license_key=" + key + "&from=" + before + "&to=" + after));
        assertThat(report.get("from").asString()).isEqualTo(before.toString());
        assertThat(report.get("to").asString()).isEqualTo(after.toString());
        assertThat(report.get("total").asLong()).isEqualTo(2);
        JsonNode newest = report.get("items").get(0);
        assertThat(newest.get("day").asString()).isEqualTo(after.toString());
        assertThat(newest.get("product_id").asLong()).isEqualTo(product.id());
        assertThat(newest.get("license_id").asLong()).isEqualTo(licenseId(key));
        assertThat(newest.get("license_key").asString()).isEqualTo(key);
        assertThat(newest.get("active_devices").asInt()).isEqualTo(3);
        assertThat(newest.get("session_minutes").asLong()).isEqualTo(36);
        assertThat(report.get("items").get(1).get("day").asString()).isEqualTo(before.toString());
        assertThat(LocalDate.parse(report.get("computed_through").asString())).isAfterOrEqualTo(after);

        // Per product: the three licenses of the day before summed (the activated one without minutes).
        JsonNode byProduct = ok(stats("product_id=" + product.id() + "&from=" + before + "&to=" + after));
        assertThat(byProduct.get("total").asLong()).isEqualTo(4);
        List<String> totals = new ArrayList<>();
        byProduct.get("totals").forEach(t -> {
            assertThat(t.get("product_id").asLong()).isEqualTo(product.id());
            totals.add(t.get("day").asString() + " " + t.get("licenses").asLong() + " "
                    + t.get("active_devices").asLong() + " "
                    + t.get("session_minutes").asLong());
        });
        assertThat(totals).containsExactly(after + " 1 3 36", before + " 3 4 45");
        // A key as typed: lower case, without dashes.
        assertThat(ok(stats("license_key=" + key.toLowerCase().replace("-", "") + "&from=" + before + "&to=" + after))
                        .get("total")
                        .asLong())
                .isEqualTo(2);
    }

    @Test
    void devicesThatOnlyActivatedOrVerifiedThatDayAreActiveWithoutMinutes() {
        TestProduct product = tenMinuteProduct();
        String key = license(product);
        for (String hw : List.of("hw-session", "hw-verify", "hw-activate", "hw-refused")) {
            assertThat(activate(product, key, hw).status()).isEqualTo(200);
        }
        long license = licenseId(key);
        LocalDate day = usage.yesterday();
        Instant noon = day.atTime(LocalTime.NOON).toInstant(ZoneOffset.UTC);
        long sessionDevice = jdbc.sql("SELECT id FROM devices WHERE license_id = ? AND hardware_hash = 'hw-session'")
                .param(license)
                .query(Long.class)
                .single();
        insertEndedSession(product, license, sessionDevice, noon, noon.plus(Duration.ofMinutes(30)));
        record Attempt(String action, String result, String hardwareHash, Instant at) {}
        for (Attempt a : List.of(
                new Attempt("verify", "VALID", "hw-session", noon), // also had a session: counted once
                new Attempt("verify", "GRACE_PERIOD", "hw-verify", noon),
                new Attempt("activate", "OK", "hw-activate", noon.plus(Duration.ofHours(3))),
                new Attempt("verify", "DEVICE_BLOCKED", "hw-refused", noon),
                new Attempt("activate", "DEVICE_LIMIT_REACHED", "hw-refused", noon),
                new Attempt("verify", "VALID", "hw-never-activated", noon),
                new Attempt("verify", "VALID", "hw-refused", noon.minus(Duration.ofDays(1))))) {
            jdbc.sql(
                            """
                            INSERT INTO validation_log (at, product_id, license_id, license_key, action, result_code, hardware_hash)
                            VALUES (?, ?, ?, ?, ?, ?, ?)""")
                    .params(Db.ts(a.at()), product.id(), license, key, a.action(), a.result(), a.hardwareHash())
                    .update();
        }

        usage.computeDay(day);

        assertThat(row(key, day)).as("{active devices, session minutes}").containsExactly(3, 30);
    }

    @Test
    void computingADayAgainReplacesItsRows() {
        TestProduct product = tenMinuteProduct();
        String key = license(product);
        String idle = license(product);
        Instant midnight = midnightAhead(Duration.ofMinutes(1));
        at(midnight.plus(Duration.ofHours(9)));
        String token = started(product, key, "hw-1");
        at(midnight.plus(Duration.ofHours(9)).plus(Duration.ofMinutes(7)));
        end(product, token);
        LocalDate day = day(midnight);
        at(midnight.plus(Duration.ofDays(1)));

        usage.catchUp(true);
        assertThat(row(key, day)).containsExactly(1, 7);
        jdbc.sql(
                        "UPDATE usage_daily SET session_minutes = 999, active_devices = 9 WHERE license_id = ? AND usage_day = ?")
                .params(licenseId(key), day)
                .update();
        // A stale row of a license without use that day: a re-run must remove it, not keep it.
        jdbc.sql(
                        """
                        INSERT INTO usage_daily (usage_day, product_id, license_id, active_devices, session_minutes, computed_at)
                        VALUES (?, ?, ?, 1, 60, ?)""")
                .params(day, product.id(), licenseId(idle), Db.ts(clock.instant()))
                .update();

        // Yesterday is recomputed by the daily run even though it was computed before.
        assertThat(usage.catchUp(true)).contains(day);
        assertThat(row(key, day)).containsExactly(1, 7);
        assertThat(row(idle, day)).isNull();
        usage.computeDay(day);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_daily WHERE license_id IN (?, ?)")
                        .params(licenseId(key), licenseId(idle))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThatThrownBy(() -> usage.computeDay(day(clock.instant())))
                .as("today is not over")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCatchUpFillsTheDaysNeverComputedWithinTheHorizon() {
        TestProduct product = tenMinuteProduct();
        String key = license(product);
        assertThat(activate(product, key, "hw-a").status()).isEqualTo(200);
        assertThat(activate(product, key, "hw-b").status()).isEqualTo(200);
        long license = licenseId(key);
        long deviceA = device(license, "hw-a");
        long deviceB = device(license, "hw-b");
        LocalDate yesterday = usage.yesterday();
        LocalDate d10 = yesterday.minusDays(10);
        LocalDate d20 = yesterday.minusDays(20);
        LocalDate d40 = yesterday.minusDays(40);
        LocalDate d39 = d40.plusDays(1);
        LocalDate d95 = yesterday.minusDays(95);

        // Day 20 was computed before its session is known: the catch-up leaves computed days alone.
        usage.computeDay(d20);
        insertEndedSession(product, license, deviceA, time(d20, 10, 0), time(d20, 10, 30));
        insertEndedSession(product, license, deviceA, time(d10, 12, 0), time(d10, 12, 45));
        insertEndedSession(product, license, deviceB, time(d10, 13, 0), time(d10, 13, 1));
        insertEndedSession(product, license, deviceB, time(d40, 23, 50), time(d39, 0, 20));
        insertEndedSession(product, license, deviceA, time(d95, 10, 0), time(d95, 11, 0));
        // As after an upgrade, or days the server was down: never computed.
        jdbc.sql("DELETE FROM usage_daily_computed WHERE usage_day IN (?, ?, ?, ?)")
                .params(d10, d39, d40, d95)
                .update();

        List<LocalDate> computed = usage.catchUp(false);

        assertThat(computed).doesNotContain(d20, d95);
        assertThat(row(key, d10)).containsExactly(2, 46);
        assertThat(row(key, d40)).containsExactly(1, 10);
        assertThat(row(key, d39)).containsExactly(1, 20);
        assertThat(row(key, d20)).as("computed before, not again").isNull();
        assertThat(row(key, d95)).as("beyond the 90-day horizon").isNull();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_daily_computed WHERE usage_day >= ? AND usage_day <= ?")
                        .params(yesterday.minusDays(89), yesterday)
                        .query(Long.class)
                        .single())
                .as("every day of the horizon is computed")
                .isEqualTo(90);
        assertThat(usage.catchUp(false)).as("nothing left to do").isEmpty();

        // Asked for explicitly, a computed day is computed again.
        usage.computeDay(d20);
        assertThat(row(key, d20)).containsExactly(1, 30);
    }

    @Test
    void theCatchUpRemovesDaysOlderThanTheRetention() {
        TestProduct product = tenMinuteProduct();
        String key = license(product);
        long license = licenseId(key);
        LocalDate yesterday = usage.yesterday();
        LocalDate kept = yesterday.minusDays(1094); // the oldest of the 1 095 days kept by default
        LocalDate gone = kept.minusDays(1);
        for (LocalDate day : List.of(kept, gone)) {
            jdbc.sql(
                            """
                            INSERT INTO usage_daily (usage_day, product_id, license_id, active_devices, session_minutes,
                                                     computed_at)
                            VALUES (?, ?, ?, 1, 60, ?)""")
                    .params(day, product.id(), license, Db.ts(clock.instant()))
                    .update();
            jdbc.sql("INSERT INTO usage_daily_computed (usage_day, licenses, computed_at) VALUES (?, 1, ?)")
                    .params(day, Db.ts(clock.instant()))
                    .update();
        }

        usage.catchUp(false);

        assertThat(row(key, kept)).containsExactly(1, 60);
        assertThat(row(key, gone)).isNull();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_daily_computed WHERE usage_day <= ?")
                        .param(gone)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private long device(long licenseId, String hardwareHash) {
        return jdbc.sql("SELECT id FROM devices WHERE license_id = ? AND hardware_hash = ?")
                .params(licenseId, hardwareHash)
                .query(Long.class)
                .single();
    }

    @Test
    void theDailyRunIsScheduledAfterMidnightUtcAndTheCatchUpHourly() {
        CronTrigger daily = null;
        FixedDelayTask catchUp = null;
        for (ScheduledTaskHolder holder : schedulers) {
            for (ScheduledTask task : holder.getScheduledTasks()) {
                // A task names its method: dev.licensor.server.stats.UsageStatsJobs.daily
                String method = task.getTask().toString();
                if (method.endsWith(UsageStatsJobs.class.getSimpleName() + ".daily")
                        && task.getTask() instanceof CronTask cron) {
                    daily = (CronTrigger) cron.getTrigger();
                } else if (method.endsWith(UsageStatsJobs.class.getSimpleName() + ".catchUp")
                        && task.getTask() instanceof FixedDelayTask fixed) {
                    catchUp = fixed;
                }
            }
        }
        assertThat(daily).as("the daily run").isNotNull();
        assertThat(daily.getExpression()).isEqualTo("0 5 0 * * *");
        SimpleTriggerContext context = new SimpleTriggerContext();
        context.update(null, null, Instant.parse("2026-11-22T23:59:00Z"));
        // In UTC, whatever the server's time zone.
        assertThat(daily.nextExecution(context)).isEqualTo(Instant.parse("2026-11-23T00:05:00Z"));
        assertThat(catchUp).as("the catch-up").isNotNull();
        assertThat(catchUp.getIntervalDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(catchUp.getInitialDelayDuration()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void everyAdminRoleReadsTheStatisticsAndNobodyElse() {
        for (Role role : Role.values()) {
            Http.Response response = as(role, "GET", "/api/admin/usage-stats", null);
            assertThat(response.status()).as(role + " " + response).isEqualTo(200);
        }
        JsonNode defaults = ok(as(Role.VIEWER, "GET", "/api/admin/usage-stats", null));
        // Without a range: the 30 days up to yesterday.
        LocalDate yesterday = usage.yesterday();
        assertThat(defaults.get("to").asString()).isEqualTo(yesterday.toString());
        assertThat(defaults.get("from").asString())
                .isEqualTo(yesterday.minusDays(29).toString());
        assertThat(defaults.get("size").asInt()).isEqualTo(50);
        assertThat(defaults.has("totals")).isTrue();
        Http.Response anonymous = http.get("/api/admin/usage-stats");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.code()).isEqualTo("UNAUTHORIZED");
        assertThat(http.get("/api/admin/usage-stats", "X-API-Key", product().apiKey())
                        .status())
                .isEqualTo(401);
        assertThat(as(Role.VIEWER, "POST", "/api/admin/usage-stats", Map.of()).status())
                .isIn(403, 405);
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        assertInvalid(stats("from=2026-13-01"), "from");
        assertInvalid(stats("to=yesterday"), "to");
        assertInvalid(stats("from=2026-11-23T00:00:00Z"), "from");
        assertInvalid(stats("from=1969-12-31&to=1970-01-05"), "from");
        assertInvalid(stats("from=2026-11-23&to=2026-11-22"), "from");
        assertInvalid(stats("from=2025-01-01&to=2026-01-02"), "from");
        assertInvalid(stats("product_id=abc"), "product_id");
        assertInvalid(stats("license_key=" + "K".repeat(129)), "license_key");
        assertInvalid(stats("license_key=AB%00CD"), "license_key");
        assertInvalid(stats("size=0"), "size");
        assertInvalid(stats("size=501"), "size");
        assertInvalid(stats("page=-1"), "page");
        // The longest range is a year with its leap day; an unknown key or product matches nothing.
        assertThat(ok(stats("from=2024-01-01&to=2024-12-31")).get("from").asString())
                .isEqualTo("2024-01-01");
        assertThat(ok(stats("license_key=ZZ-NOT-A-KEY&product_id=999999"))
                        .get("total")
                        .asLong())
                .isZero();
    }
}
