package dev.licensor.server.abuse;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.license.LicenseStatus;
import dev.licensor.server.license.LicenseStatusChanged;
import dev.licensor.server.security.Actor;
import dev.licensor.server.settings.Settings;
import dev.licensor.server.settings.Toggle;
import dev.licensor.server.support.Db;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The anomaly rules (SPEC §5.5) over the validation log, and the anomalies they raise on licenses.
 * A raised anomaly marks its license {@code suspicious} (and suspends it when the panel setting
 * "suspend flagged licenses automatically" is on; by default {@code licensor.anomaly.auto-suspend}
 * decides). The same rule is never open twice on a license, and after a resolution only newer log
 * rows count, so a resolved anomaly is not raised again by old evidence.
 */
@Service
public class Anomalies {
    private static final Logger log = LoggerFactory.getLogger(Anomalies.class);

    static final String TOO_MANY_IPS = "too_many_ips";
    static final String TOO_MANY_DEVICES = "too_many_devices";
    static final String FAILED_VERIFICATIONS = "failed_verifications";
    static final String KEY_ENUMERATION = "key-enumeration";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final AuditLog audit;
    private final BlockedIps blockedIps;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;
    private final AnomalyProperties settings;
    private final MeterRegistry meters;
    private final Settings toggles;
    private final AnomalyWindow window;
    private final Timer scanTimer;

    Anomalies(
            JdbcClient jdbc,
            TransactionTemplate tx,
            AuditLog audit,
            BlockedIps blockedIps,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock,
            AnomalyProperties settings,
            MeterRegistry meters,
            Settings toggles,
            AnomalyWindow window) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.blockedIps = blockedIps;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.settings = settings;
        this.meters = meters;
        // Every rule's counter exists from the start, so alert expressions over it have a series.
        for (String rule : List.of(TOO_MANY_IPS, TOO_MANY_DEVICES, FAILED_VERIFICATIONS, KEY_ENUMERATION)) {
            meters.counter("licensor.anomalies.raised", "rule", rule);
        }
        this.scanTimer = meters.timer("licensor.anomaly.scan");
        this.toggles = toggles;
        this.window = window;
    }

    /** An anomaly as the admin API shows it. */
    public record AnomalyView(
            long id,
            long licenseId,
            String licenseKey,
            String rule,
            JsonNode evidence,
            String status,
            Instant createdAt,
            @Nullable Instant resolvedAt,
            @Nullable String resolvedBy) {}

    /** What one scan did. */
    public record ScanResult(int raised, int blocked) {}

    /** A license a rule found over its threshold, with the evidence. */
    private record Finding(long licenseId, String rule, String reason, Map<String, Object> evidence) {}

    /**
     * Runs every rule once: brings the rules' tables up to the validation log ({@link
     * AnomalyWindow}), then evaluates the license rules over them and the key-enumeration rule over
     * the log's last minutes. One round at a time in this instance; across instances the caller
     * holds the scan's lease.
     */
    public synchronized ScanResult scan() {
        Timer.Sample timing = Timer.start(meters);
        Instant now = clock.instant();
        Instant since = now.minus(Duration.ofHours(settings.windowHours()));
        AnomalyWindow.Refresh refresh = window.refresh(now, since, settings.windowHours());
        try {
            return evaluate(now, since);
        } finally {
            long nanos = timing.stop(scanTimer);
            // bench/anomaly-scan.sh reads this line.
            log.debug(
                    "Anomaly scan took {} ms ({} ms reading the validation log from {}, {} groups{}).",
                    nanos / 1_000_000,
                    refresh.readNanos() / 1_000_000,
                    refresh.readFrom(),
                    refresh.groups(),
                    refresh.rebuilt() ? ", rebuilt" : "");
        }
    }

    private ScanResult evaluate(Instant now, Instant since) {
        int raised = 0;
        List<Finding> findings = new ArrayList<>();
        findings.addAll(tooManyIps(since, null));
        findings.addAll(tooManyDevices(since, null));
        findings.addAll(failedVerifications(since, null));
        for (Finding finding : findings) {
            if (raise(finding, since)) {
                raised++;
            }
        }
        int blocked = blockEnumerators(now);
        return new ScanResult(raised, blocked);
    }

    private List<Finding> tooManyIps(Instant since, @Nullable Long licenseId) {
        int max = settings.maxDistinctIps();
        return jdbc
                .sql(
                        """
                        SELECT a.license_id, COUNT(*) AS n
                        FROM anomaly_license_ips a JOIN licenses l ON l.id = a.license_id
                        WHERE a.last_seen >= :since"""
                                + (licenseId == null ? "" : " AND a.license_id = :license")
                                + """

                        GROUP BY a.license_id HAVING COUNT(*) > :max""")
                .param("since", Db.ts(since))
                .param("license", licenseId == null ? -1L : licenseId)
                .param("max", max)
                .query((rs, n) -> {
                    long id = rs.getLong("license_id");
                    long count = rs.getLong("n");
                    Map<String, Object> evidence = new LinkedHashMap<>();
                    evidence.put("distinct_ips", count);
                    evidence.put("threshold", max);
                    evidence.put("window_hours", settings.windowHours());
                    return new Finding(
                            id,
                            TOO_MANY_IPS,
                            "Used from " + count + " addresses within " + settings.windowHours() + " h",
                            evidence);
                })
                .list()
                .stream()
                .map(f -> withIps(f, since))
                .toList();
    }

    private Finding withIps(Finding finding, Instant since) {
        List<String> ips = jdbc.sql(
                        """
                        SELECT ip FROM anomaly_license_ips
                        WHERE last_seen >= ? AND license_id = ? ORDER BY ip LIMIT 50""")
                .params(Db.ts(since), finding.licenseId())
                .query(String.class)
                .list();
        finding.evidence().put("ips", ips);
        return finding;
    }

    private List<Finding> tooManyDevices(Instant since, @Nullable Long licenseId) {
        int extra = settings.extraHardwareHashes();
        return jdbc.sql(
                        """
                        SELECT d.license_id, l.device_limit, COUNT(*) AS n
                        FROM anomaly_license_devices d JOIN licenses l ON l.id = d.license_id
                        WHERE d.last_seen >= :since"""
                                + (licenseId == null ? "" : " AND d.license_id = :license")
                                + """

                        GROUP BY d.license_id, l.device_limit
                        HAVING COUNT(*) > l.device_limit + :extra""")
                .param("since", Db.ts(since))
                .param("license", licenseId == null ? -1L : licenseId)
                .param("extra", extra)
                .query((rs, n) -> {
                    long count = rs.getLong("n");
                    int limit = rs.getInt("device_limit");
                    Map<String, Object> evidence = new LinkedHashMap<>();
                    evidence.put("distinct_hardware_hashes", count);
                    evidence.put("device_limit", limit);
                    evidence.put("threshold", limit + extra);
                    evidence.put("window_hours", settings.windowHours());
                    return new Finding(
                            rs.getLong("license_id"),
                            TOO_MANY_DEVICES,
                            count + " different devices tried within " + settings.windowHours() + " h (limit " + limit
                                    + ")",
                            evidence);
                })
                .list();
    }

    /**
     * The whole minutes from {@code since} on come from the per-minute counts, the part of a minute
     * before them from the log itself (at most a minute of rows), so the window is exact.
     */
    private List<Finding> failedVerifications(Instant since, @Nullable Long licenseId) {
        long firstWholeMinute = Math.ceilDiv(since.toEpochMilli(), 60_000L);
        String oneLicense = licenseId == null ? "" : " AND license_id = :license";
        return jdbc
                .sql(
                        """
                        SELECT t.license_id, SUM(t.verifications) AS total, SUM(t.failed) AS failed
                        FROM (
                            SELECT license_id, verifications, failed FROM anomaly_verify_minutes
                            WHERE at_minute >= :minute"""
                                + oneLicense
                                + """

                            UNION ALL
                            SELECT license_id, 1 AS verifications,
                                CASE WHEN result_code IN ('VALID', 'GRACE_PERIOD') THEN 0 ELSE 1 END AS failed
                            FROM validation_log
                            WHERE at >= :since AND at < :edge AND action = 'verify' AND license_id IS NOT NULL"""
                                + oneLicense
                                + """

                        ) t JOIN licenses l ON l.id = t.license_id
                        GROUP BY t.license_id HAVING SUM(t.verifications) >= :min""")
                .param("minute", firstWholeMinute)
                .param("since", Db.ts(since))
                .param("edge", Db.ts(Instant.ofEpochSecond(firstWholeMinute * 60)))
                .param("license", licenseId == null ? -1L : licenseId)
                .param("min", settings.minVerifications())
                .query((rs, n) -> {
                    long total = rs.getLong("total");
                    long failed = rs.getLong("failed");
                    double ratio = (double) failed / total;
                    if (ratio <= settings.maxFailedRatio()) {
                        return null;
                    }
                    Map<String, Object> evidence = new LinkedHashMap<>();
                    evidence.put("verifications", total);
                    evidence.put("failed", failed);
                    evidence.put("failed_ratio", Math.round(ratio * 1000) / 1000.0);
                    evidence.put("threshold", settings.maxFailedRatio());
                    evidence.put("window_hours", settings.windowHours());
                    return new Finding(
                            rs.getLong("license_id"),
                            FAILED_VERIFICATIONS,
                            failed + " of " + total + " verifications failed within " + settings.windowHours() + " h",
                            evidence);
                })
                .list()
                .stream()
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    /** Raises a finding unless the rule is already open on the license or was resolved since. */
    private boolean raise(Finding finding, Instant windowStart) {
        String openKey = finding.rule() + ":" + finding.licenseId();
        long open = jdbc.sql("SELECT COUNT(*) FROM anomalies WHERE open_key = ?")
                .param(openKey)
                .query(Long.class)
                .single();
        if (open > 0) {
            return false;
        }
        Optional<Instant> resolved = jdbc.sql(
                        "SELECT MAX(resolved_at) AS last_resolved FROM anomalies WHERE license_id = ? AND rule = ?")
                .params(finding.licenseId(), finding.rule())
                .query((rs, n) -> Optional.ofNullable(Db.instant(rs, "last_resolved")))
                .single();
        if (resolved.isPresent() && resolved.get().isAfter(windowStart)) {
            // Only evidence newer than the last resolution counts.
            Instant since = resolved.get();
            List<Finding> again =
                    switch (finding.rule()) {
                        case TOO_MANY_IPS -> tooManyIps(since, finding.licenseId());
                        case TOO_MANY_DEVICES -> tooManyDevices(since, finding.licenseId());
                        default -> failedVerifications(since, finding.licenseId());
                    };
            if (again.isEmpty()) {
                return false;
            }
            finding = again.getFirst();
        }
        Finding raised = finding;
        try {
            tx.executeWithoutResult(status -> insert(raised, openKey));
        } catch (DuplicateKeyException e) {
            return false; // raised concurrently
        }
        meters.counter("licensor.anomalies.raised", "rule", raised.rule()).increment();
        log.warn("Anomaly {} raised on license {}: {}", raised.rule(), raised.licenseId(), raised.reason());
        return true;
    }

    private void insert(Finding finding, String openKey) {
        Instant now = clock.instant();
        String evidence = json.writeValueAsString(finding.evidence());
        jdbc.sql(
                        """
                        INSERT INTO anomalies (license_id, rule, evidence, status, open_key, created_at)
                        VALUES (?, ?, ?, 'OPEN', ?, ?)""")
                .params(finding.licenseId(), finding.rule(), evidence, openKey, Db.ts(now))
                .update();
        jdbc.sql("UPDATE licenses SET suspicious = TRUE, suspicious_reason = ?, updated_at = ? WHERE id = ?")
                .params(truncate(finding.reason(), 1000), Db.ts(now), finding.licenseId())
                .update();
        audit.record(
                Actor.SYSTEM,
                "anomaly.raise",
                "license",
                finding.licenseId(),
                null,
                Map.of("rule", finding.rule(), "evidence", finding.evidence()));
        events.publishEvent(new LicenseFlagged(finding.licenseId(), finding.rule(), finding.reason()));
        if (toggles.enabled(Toggle.ANOMALY_AUTO_SUSPEND)) {
            int suspended = jdbc.sql(
                            "UPDATE licenses SET status = 'SUSPENDED', updated_at = ? WHERE id = ? AND status = 'ACTIVE'")
                    .params(Db.ts(now), finding.licenseId())
                    .update();
            if (suspended > 0) {
                audit.record(
                        Actor.SYSTEM,
                        "license.suspend",
                        "license",
                        finding.licenseId(),
                        Map.of("status", "ACTIVE"),
                        Map.of("status", "SUSPENDED", "reason", "anomaly:" + finding.rule()));
                events.publishEvent(new LicenseStatusChanged(finding.licenseId(), LicenseStatus.SUSPENDED));
            }
        }
    }

    /** Blocks addresses that tried more unknown keys than allowed within the enumeration window. */
    private int blockEnumerators(Instant now) {
        Instant since = now.minus(Duration.ofMinutes(settings.unknownKeysWindowMinutes()));
        List<Map.Entry<String, Long>> offenders = jdbc.sql(
                        """
                        SELECT ip, COUNT(*) AS n FROM validation_log
                        WHERE at >= ? AND ip IS NOT NULL AND result_code IN ('LICENSE_NOT_FOUND', 'NOT_FOUND')
                        GROUP BY ip HAVING COUNT(*) > ?""")
                .params(Db.ts(since), settings.maxUnknownKeys())
                .query((rs, n) -> Map.entry(rs.getString("ip"), rs.getLong("n")))
                .list();
        jdbc.sql("DELETE FROM blocked_ip_clearances WHERE cleared_at < ?")
                .param(Db.ts(since))
                .update();
        int blocked = 0;
        for (Map.Entry<String, Long> offender : offenders) {
            Optional<IpRange> range = IpRange.parse(offender.getKey());
            if (range.isEmpty()
                    || blockedIps.isBlocked(offender.getKey())
                    || ruleBlockExists(range.get(), now)
                    || !stillOverAfterClearance(offender.getKey(), range.get())) {
                continue;
            }
            blockedIps.blockByRule(
                    range.get().text(),
                    offender.getValue() + " unknown license keys within " + settings.unknownKeysWindowMinutes()
                            + " minutes",
                    now.plus(Duration.ofMinutes(settings.enumerationBlockMinutes())),
                    KEY_ENUMERATION);
            meters.counter("licensor.anomalies.raised", "rule", KEY_ENUMERATION).increment();
            log.warn("Blocked {} after {} unknown license keys.", range.get().text(), offender.getValue());
            blocked++;
        }
        return blocked;
    }

    /**
     * An address an administrator let in again within the window counts only its attempts since
     * then: otherwise the next scan would block it again for the attempts that got it blocked.
     */
    private boolean stillOverAfterClearance(String ip, IpRange range) {
        Optional<Instant> cleared = jdbc.sql("SELECT cleared_at FROM blocked_ip_clearances WHERE address = ?")
                .param(range.text())
                .query((rs, n) -> Objects.requireNonNull(Db.instant(rs, "cleared_at")))
                .optional();
        if (cleared.isEmpty()) {
            return true;
        }
        long since = jdbc.sql(
                        """
                        SELECT COUNT(*) FROM validation_log
                        WHERE ip = ? AND at > ? AND result_code IN ('LICENSE_NOT_FOUND', 'NOT_FOUND')""")
                .params(ip, Db.ts(cleared.get()))
                .query(Long.class)
                .single();
        return since > settings.maxUnknownKeys();
    }

    private boolean ruleBlockExists(IpRange range, Instant now) {
        return jdbc.sql(
                                """
                                SELECT COUNT(*) FROM blocked_ips
                                WHERE address = ? AND (blocked_until IS NULL OR blocked_until > ?)""")
                        .params(range.text(), Db.ts(now))
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** {@code GET /api/admin/anomalies?status=&license_id=}, newest first. */
    public PageResponse<AnomalyView> list(
            @Nullable String status, @Nullable Long licenseId, PageResponse.Paging paging) {
        if (status != null && !status.equals("OPEN") && !status.equals("RESOLVED")) {
            throw JsonFields.invalid("status", "must be OPEN or RESOLVED");
        }
        Map<String, Object> params = new HashMap<>();
        List<String> where = new ArrayList<>();
        if (status != null) {
            where.add("a.status = :status");
            params.put("status", status);
        }
        if (licenseId != null) {
            where.add("a.license_id = :license");
            params.put("license", licenseId);
        }
        String clause = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        params.put("limit", paging.size());
        params.put("offset", paging.offset());
        List<AnomalyView> items = jdbc.sql(
                        "SELECT a.*, l.license_key FROM anomalies a JOIN licenses l ON l.id = a.license_id" + clause
                                + " ORDER BY a.created_at DESC, a.id DESC LIMIT :limit OFFSET :offset")
                .params(params)
                .query(this::map)
                .list();
        long total = jdbc.sql("SELECT COUNT(*) FROM anomalies a" + clause)
                .params(params)
                .query(Long.class)
                .single();
        return PageResponse.of(items, paging, total);
    }

    /** How many anomalies are open (the dashboard figure). */
    public long openCount() {
        return jdbc.sql("SELECT COUNT(*) FROM anomalies WHERE status = 'OPEN'")
                .query(Long.class)
                .single();
    }

    /**
     * Resolves an anomaly; the license stops being suspicious once none is open on it. Audited, with
     * the {@code reason} of the optional body ({@link JsonFields#actionReason}); resolving a
     * resolved anomaly changes and records nothing.
     */
    @Transactional
    public AnomalyView resolve(long id, @Nullable JsonNode body) {
        String reason = JsonFields.actionReason(body);
        AnomalyView anomaly = find(id).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
        if (anomaly.status().equals("RESOLVED")) {
            return anomaly;
        }
        Instant now = clock.instant();
        jdbc.sql(
                        """
                        UPDATE anomalies SET status = 'RESOLVED', open_key = NULL, resolved_at = ?, resolved_by = ?
                        WHERE id = ? AND status = 'OPEN'""")
                .params(Db.ts(now), Actor.current().label(), id)
                .update();
        long stillOpen = jdbc.sql("SELECT COUNT(*) FROM anomalies WHERE license_id = ? AND status = 'OPEN'")
                .param(anomaly.licenseId())
                .query(Long.class)
                .single();
        if (stillOpen == 0) {
            jdbc.sql("UPDATE licenses SET suspicious = FALSE, suspicious_reason = NULL, updated_at = ? WHERE id = ?")
                    .params(Db.ts(now), anomaly.licenseId())
                    .update();
        }
        AnomalyView resolved = find(id).orElseThrow();
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("status", "RESOLVED");
        after.put("license_suspicious", stillOpen > 0);
        if (reason != null) {
            after.put("reason", reason);
        }
        audit.record("anomaly.resolve", "anomaly", id, Map.of("status", "OPEN"), after);
        return resolved;
    }

    private Optional<AnomalyView> find(long id) {
        return jdbc.sql(
                        "SELECT a.*, l.license_key FROM anomalies a JOIN licenses l ON l.id = a.license_id WHERE a.id = ?")
                .param(id)
                .query(this::map)
                .optional();
    }

    private AnomalyView map(ResultSet rs, int row) throws SQLException {
        return new AnomalyView(
                rs.getLong("id"),
                rs.getLong("license_id"),
                rs.getString("license_key"),
                rs.getString("rule"),
                json.readTree(rs.getString("evidence")),
                rs.getString("status"),
                Db.instant(rs, "created_at"),
                Db.instant(rs, "resolved_at"),
                rs.getString("resolved_by"));
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
