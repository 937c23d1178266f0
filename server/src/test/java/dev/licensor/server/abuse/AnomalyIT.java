package dev.licensor.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.settings.Settings;
import dev.licensor.server.support.Db;
import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each rule: a license that triggers it and one that stays just below it. */
class AnomalyIT extends AbstractAdminIT {
    private static final AtomicInteger NETS = new AtomicInteger(10);

    @Autowired
    Anomalies anomalies;

    @Autowired
    AnomalyWindow window;

    @Autowired
    ValidationLog validationLog;

    @Autowired
    AnomalyProperties properties;

    @Autowired
    JsonMapper json;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    AuditLog audit;

    @Autowired
    BlockedIps blockedIps;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Settings settings;

    /** The rules as they run at {@code now}: for times the test must place within a minute. */
    Anomalies scanningAt(Instant now) {
        return new Anomalies(
                jdbc,
                tx,
                audit,
                blockedIps,
                events,
                json,
                Clock.fixed(now, ZoneOffset.UTC),
                properties,
                meters,
                settings,
                window);
    }

    @AfterEach
    void neverBlockTheTestClient() {
        // Other tests' unknown keys from 127.0.0.1 must not lock the rest of the suite out.
        jdbc.sql("DELETE FROM blocked_ips WHERE address IN ('127.0.0.1', '0:0:0:0:0:0:0:1')")
                .update();
    }

    record Lic(long id, String key) {}

    Lic license(int deviceLimit) {
        TestProduct product = product();
        JsonNode created = license(product, Map.of("device_limit", deviceLimit));
        return new Lic(created.get("id").asLong(), created.get("license_key").asString());
    }

    void log(
            @Nullable Lic license, String action, String result, String ip, @Nullable String hardwareHash, Instant at) {
        validationLog.append(List.of(new ValidationLog.Entry(
                at,
                null,
                license == null ? null : license.id(),
                license == null ? "X" : license.key(),
                action,
                result,
                ip,
                "test",
                hardwareHash,
                null)));
    }

    List<String> openRules(Lic license) {
        return jdbc.sql("SELECT rule FROM anomalies WHERE license_id = ? AND status = 'OPEN'")
                .param(license.id())
                .query(String.class)
                .list();
    }

    static Instant hourAgo() {
        return Instant.now().minus(Duration.ofHours(1));
    }

    static String net() {
        return "198.18." + NETS.getAndIncrement() + ".";
    }

    @Test
    void moreThanFiveAddressesOnALicenseIn24Hours() {
        Lic over = license(1);
        Lic below = license(1);
        String net = net();
        for (int i = 1; i <= 6; i++) {
            log(over, "verify", "VALID", net + i, null, hourAgo());
            if (i <= 5) {
                log(below, "verify", "VALID", net + i, null, hourAgo());
            }
        }
        log(below, "verify", "VALID", net + 9, null, Instant.now().minus(Duration.ofHours(25)));

        anomalies.scan();
        anomalies.scan();

        assertThat(openRules(over)).containsExactly("too_many_ips");
        assertThat(openRules(below)).isEmpty();
        Map<String, Object> flagged = jdbc.sql("SELECT suspicious, suspicious_reason FROM licenses WHERE id = ?")
                .param(over.id())
                .query()
                .singleRow();
        assertThat(flagged.get("suspicious")).isEqualTo(true);
        assertThat((String) flagged.get("suspicious_reason")).contains("6 addresses");
        JsonNode listed = adminGet("/api/admin/anomalies?status=OPEN&license_id=" + over.id())
                .json();
        assertThat(listed.get("total").asLong()).isEqualTo(1);
        assertThat(listed.at("/items/0/evidence/distinct_ips").asInt()).isEqualTo(6);
        assertThat(listed.at("/items/0/evidence/ips").size()).isEqualTo(6);
        assertThat(listed.at("/items/0/license_key").asString()).isEqualTo(over.key());
    }

    @Test
    void moreThanDeviceLimitPlusThreeHardwareHashesIn24Hours() {
        Lic over = license(2);
        Lic below = license(2);
        for (int i = 1; i <= 6; i++) {
            log(over, "activate", "DEVICE_LIMIT_REACHED", "127.0.0.1", "hw-" + i, hourAgo());
            if (i <= 5) {
                log(below, "activate", "DEVICE_LIMIT_REACHED", "127.0.0.1", "hw-" + i, hourAgo());
            }
        }

        anomalies.scan();

        assertThat(openRules(over)).containsExactly("too_many_devices");
        assertThat(openRules(below)).isEmpty();
    }

    @Test
    void moreThanTenPercentFailedVerificationsWithAtLeastTwentyAttempts() {
        Lic over = license(1);
        Lic atTenPercent = license(1);
        Lic tooFewAttempts = license(1);
        for (int i = 0; i < 20; i++) {
            log(over, "verify", i < 3 ? "DEVICE_NOT_ACTIVATED" : "VALID", "127.0.0.1", null, hourAgo());
            log(atTenPercent, "verify", i < 2 ? "EXPIRED" : "VALID", "127.0.0.1", null, hourAgo());
            if (i < 19) {
                log(tooFewAttempts, "verify", i < 10 ? "SUSPENDED" : "VALID", "127.0.0.1", null, hourAgo());
            }
        }

        anomalies.scan();

        assertThat(openRules(over)).containsExactly("failed_verifications");
        assertThat(openRules(atTenPercent)).isEmpty();
        assertThat(openRules(tooFewAttempts)).isEmpty();
    }

    @Test
    void moreThanTwentyUnknownKeysFromOneAddressIn10MinutesBlocksItForAnHour() {
        String net = net();
        String enumerator = net + "1";
        String careful = net + "2";
        Instant recent = Instant.now().minus(Duration.ofMinutes(5));
        for (int i = 0; i < 21; i++) {
            log(null, "verify", "NOT_FOUND", enumerator, null, recent);
            if (i < 20) {
                log(null, "activate", "LICENSE_NOT_FOUND", careful, null, recent);
            }
        }
        log(null, "verify", "NOT_FOUND", careful, null, Instant.now().minus(Duration.ofMinutes(11)));

        anomalies.scan();
        anomalies.scan();

        List<Map<String, Object>> blocks = jdbc.sql(
                        "SELECT address, created_by, blocked_until FROM blocked_ips WHERE address IN (?, ?)")
                .params(enumerator, careful)
                .query()
                .listOfRows();
        assertThat(blocks).hasSize(1);
        assertThat(blocks.getFirst().get("address")).isEqualTo(enumerator);
        assertThat(blocks.getFirst().get("created_by")).isEqualTo("rule:key-enumeration");
        Instant until = jdbc.sql("SELECT blocked_until FROM blocked_ips WHERE address = ?")
                .param(enumerator)
                .query((rs, n) -> Db.instant(rs, "blocked_until"))
                .single();
        assertThat(Duration.between(Instant.now(), until)).isBetween(Duration.ofMinutes(55), Duration.ofMinutes(61));
    }

    @Test
    void aRuleBlockAnAdministratorRemovedStaysRemovedUntilNewAttempts() {
        String enumerator = net() + "1";
        for (int i = 0; i < 21; i++) {
            log(null, "verify", "NOT_FOUND", enumerator, null, Instant.now().minus(Duration.ofMinutes(5)));
        }
        anomalies.scan();
        long id = jdbc.sql("SELECT id FROM blocked_ips WHERE address = ?")
                .param(enumerator)
                .query(Long.class)
                .single();

        assertThat(admin("DELETE", "/api/admin/blocked-ips/" + id, null).status())
                .isEqualTo(204);
        anomalies.scan();
        assertThat(blocksOf(enumerator))
                .as("the same attempts do not block it again")
                .isZero();

        for (int i = 0; i < 20; i++) {
            log(null, "verify", "NOT_FOUND", enumerator, null, Instant.now());
        }
        anomalies.scan();
        assertThat(blocksOf(enumerator))
                .as("20 new attempts are within the limit")
                .isZero();

        log(null, "verify", "NOT_FOUND", enumerator, null, Instant.now());
        anomalies.scan();
        assertThat(blocksOf(enumerator)).as("the 21st new attempt is over it").isOne();
    }

    private long blocksOf(String address) {
        return jdbc.sql("SELECT COUNT(*) FROM blocked_ips WHERE address = ?")
                .param(address)
                .query(Long.class)
                .single();
    }

    @Test
    void resolvingClearsTheFlagAndOnlyNewEvidenceRaisesItAgain() {
        Lic license = license(1);
        String net = net();
        for (int i = 1; i <= 6; i++) {
            log(license, "verify", "VALID", net + i, null, hourAgo());
        }
        anomalies.scan();
        long id = jdbc.sql("SELECT id FROM anomalies WHERE license_id = ? AND status = 'OPEN'")
                .param(license.id())
                .query(Long.class)
                .single();

        Http.Response resolved = admin("POST", "/api/admin/anomalies/" + id + "/resolve", null);

        assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
        assertThat(resolved.json().get("status").asString()).isEqualTo("RESOLVED");
        assertThat(resolved.json().get("resolved_by").asString()).isEqualTo("token:bootstrap");
        assertThat(jdbc.sql("SELECT suspicious FROM licenses WHERE id = ?")
                        .param(license.id())
                        .query(Boolean.class)
                        .single())
                .isFalse();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'anomaly.resolve' AND entity_id = ?")
                        .param(Long.toString(id))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        anomalies.scan();
        assertThat(openRules(license)).as("old evidence does not count again").isEmpty();

        Instant later = Instant.now().plusSeconds(1);
        for (int i = 1; i <= 6; i++) {
            log(license, "verify", "VALID", net + (100 + i), null, later);
        }
        anomalies.scan();
        assertThat(openRules(license)).containsExactly("too_many_ips");
    }

    @Test
    void resolveTakesNoBodyOrAReasonAndRefusesUnknownFields() {
        List<Long> ids = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            Lic license = license(1);
            String net = net();
            for (int i = 1; i <= 6; i++) {
                log(license, "verify", "VALID", net + i, null, hourAgo());
            }
            anomalies.scan();
            ids.add(jdbc.sql("SELECT id FROM anomalies WHERE license_id = ? AND status = 'OPEN'")
                    .param(license.id())
                    .query(Long.class)
                    .single());
        }
        String path = "/api/admin/anomalies/" + ids.get(0) + "/resolve";
        long audits = auditCount();

        assertInvalid(admin("POST", path, Map.of("status", "RESOLVED")), "status");
        assertInvalid(admin("POST", path, Map.of("reason", "x", "suspend", true)), "suspend");
        assertInvalid(admin("POST", path, Map.of("reason", List.of("x"))), "reason");
        assertInvalid(admin("POST", path, Map.of("reason", "x".repeat(1001))), "reason");
        assertThat(admin("POST", path, "\"resolved\"").status()).isEqualTo(400);
        assertThat(anomalyStatus(ids.get(0))).isEqualTo("OPEN");
        assertThat(auditCount()).isEqualTo(audits);

        JsonNode resolved = ok(admin("POST", path, Map.of("reason", "a VPN, checked with the customer")));
        assertThat(resolved.get("status").asString()).isEqualTo("RESOLVED");
        JsonNode audit = ok(adminGet("/api/admin/audit?entity_type=anomaly&entity_id=" + ids.get(0)));
        assertThat(audit.at("/items/0/new_value/reason").asString()).isEqualTo("a VPN, checked with the customer");
        assertThat(audit.at("/items/0/new_value/status").asString()).isEqualTo("RESOLVED");

        // No body at all, and an empty object, resolve as well.
        assertThat(ok(admin("POST", "/api/admin/anomalies/" + ids.get(1) + "/resolve", null))
                        .get("status")
                        .asString())
                .isEqualTo("RESOLVED");
        assertThat(ok(admin("POST", "/api/admin/anomalies/" + ids.get(2) + "/resolve", Map.of()))
                        .get("status")
                        .asString())
                .isEqualTo("RESOLVED");
        assertThat(auditActions("anomaly", ids.get(2))).containsExactly("anomaly.resolve");
        // A resolved anomaly still refuses unknown fields; resolving it again records nothing.
        assertInvalid(admin("POST", path, Map.of("status", "OPEN")), "status");
        long before = auditCount();
        assertThat(ok(admin("POST", path, Map.of())).get("status").asString()).isEqualTo("RESOLVED");
        assertThat(auditCount()).isEqualTo(before);
    }

    private String anomalyStatus(long id) {
        return jdbc.sql("SELECT status FROM anomalies WHERE id = ?")
                .param(id)
                .query(String.class)
                .single();
    }

    @Test
    void evidenceLoggedBetweenRoundsAddsUpIncludingRowsWrittenLateWithOldTimes() {
        Lic license = license(1);
        String net = net();
        for (int i = 1; i <= 3; i++) {
            log(license, "verify", "VALID", net + i, null, hourAgo());
        }
        anomalies.scan();
        assertThat(openRules(license)).isEmpty();

        // Written after that round, stamped an hour ago (a batch retried after an outage): the log
        // marks them for the next round, which reads only its last minute or two otherwise.
        log(license, "verify", "VALID", net + 4, null, Instant.now());
        assertThat(lateFrom()).as("rows written on time are not marked").isNull();
        Instant hourAgo = hourAgo().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 5; i <= 6; i++) {
            log(license, "verify", "VALID", net + i, null, hourAgo.plusSeconds(i));
        }
        assertThat(lateFrom()).isEqualTo(hourAgo.plusSeconds(5));
        anomalies.scan();
        assertThat(lateFrom()).isNull();

        assertThat(openRules(license)).containsExactly("too_many_ips");
        JsonNode listed = adminGet("/api/admin/anomalies?status=OPEN&license_id=" + license.id())
                .json();
        assertThat(listed.at("/items/0/evidence/distinct_ips").asInt()).isEqualTo(6);
    }

    private @Nullable Instant lateFrom() {
        return jdbc.sql("SELECT late_from FROM anomaly_scan_state")
                .query((rs, n) -> Optional.ofNullable(Db.instant(rs, "late_from")))
                .single()
                .orElse(null);
    }

    @Test
    void rowsCommittedAfterARoundWithIdsBelowItsHighestAreCounted() {
        Lic license = license(1);
        // Rounds ahead of the real time, 5 and 15 s into a minute, so that rows stamped 20 s before
        // the first round lie before that round's minute.
        Instant first = Instant.now()
                .plus(Duration.ofHours(3))
                .truncatedTo(ChronoUnit.MINUTES)
                .plusSeconds(5);
        // A row the first round sees, so that the log's highest id is above the ones below.
        log(license, "verify", "VALID", "127.0.0.1", null, first.minus(Duration.ofHours(1)));
        scanningAt(first).scan();
        // Ids below every id the round saw: a batch that took its ids first and committed last.
        long id = jdbc.sql("SELECT COALESCE(MIN(id), 0) FROM validation_log")
                        .query(Long.class)
                        .single()
                - 100;
        for (int i = 0; i < 6; i++) {
            jdbc.sql(
                            """
                            INSERT INTO validation_log (id, at, license_id, license_key, action, result_code, ip,
                                hardware_hash)
                            VALUES (?, ?, ?, ?, 'activate', 'DEVICE_LIMIT_REACHED', '127.0.0.1', ?)""")
                    .params(id - i, Db.ts(first.minusSeconds(20)), license.id(), license.key(), "hw-" + i)
                    .update();
        }

        scanningAt(first.plusSeconds(10)).scan();

        assertThat(openRules(license)).containsExactly("too_many_devices");
    }

    @Test
    void countsMarkedStaleAreRebuiltFromTheLog() {
        Lic inLog = license(1);
        Lic notInLog = license(1);
        String net = net();
        for (int i = 1; i <= 6; i++) {
            log(inLog, "verify", "VALID", net + i, null, hourAgo());
        }
        // Counts that do not match the log: a round that saw the rows above but kept nothing of
        // them, and addresses of a license that the log does not have (another database's).
        anomalies.scan();
        jdbc.sql("DELETE FROM anomalies WHERE license_id = ?").param(inLog.id()).update();
        jdbc.sql("DELETE FROM anomaly_license_ips WHERE license_id = ?")
                .param(inLog.id())
                .update();
        for (int i = 1; i <= 6; i++) {
            jdbc.sql("INSERT INTO anomaly_license_ips (license_id, ip, last_seen) VALUES (?, ?, ?)")
                    .params(notInLog.id(), net + (100 + i), Db.ts(Instant.now()))
                    .update();
        }
        // What a restore does.
        jdbc.sql("UPDATE anomaly_scan_state SET seen_id = NULL").update();

        anomalies.scan();

        assertThat(openRules(inLog)).containsExactly("too_many_ips");
        assertThat(openRules(notInLog)).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM anomaly_license_ips WHERE license_id = ?")
                        .param(notInLog.id())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void theWindowOfFailedVerificationsIsExactToTheSecondAtItsOldEnd() {
        // A scan two hours ahead whose window starts 30 s into a minute: that minute's first half is
        // outside, its second half inside, and the whole minutes after it are counted per minute.
        Instant now = Instant.now()
                .plus(Duration.ofHours(2))
                .truncatedTo(ChronoUnit.MINUTES)
                .plusSeconds(30);
        Instant since = now.minus(Duration.ofHours(24));
        Anomalies ahead = scanningAt(now);
        Lic over = license(1);
        Lic outside = license(1);
        for (int i = 0; i < 17; i++) {
            log(over, "verify", "VALID", "127.0.0.1", null, now.minus(Duration.ofHours(3)));
            log(outside, "verify", "VALID", "127.0.0.1", null, now.minus(Duration.ofHours(3)));
        }
        for (int i = 0; i < 3; i++) {
            // Two in the partial minute, one in the next whole one: 3 of 20 failed.
            log(over, "verify", "EXPIRED", "127.0.0.1", null, since.plusSeconds(i < 2 ? 10 : 40));
            // In the same minute as the window's start, but before it: 17 in the window.
            log(outside, "verify", "EXPIRED", "127.0.0.1", null, since.minusSeconds(10));
        }

        ahead.scan();

        assertThat(openRules(over)).containsExactly("failed_verifications");
        assertThat(openRules(outside)).isEmpty();
        JsonNode listed = adminGet("/api/admin/anomalies?status=OPEN&license_id=" + over.id())
                .json();
        assertThat(listed.at("/items/0/evidence/verifications").asInt()).isEqualTo(20);
        assertThat(listed.at("/items/0/evidence/failed").asInt()).isEqualTo(3);
    }

    @Test
    void theAdminApiValidatesTheStatusFilter() {
        assertThat(adminGet("/api/admin/anomalies?status=MAYBE").status()).isEqualTo(400);
        assertThat(admin("POST", "/api/admin/anomalies/999999/resolve", null).status())
                .isEqualTo(404);
    }
}
