package dev.licensor.server.backup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which tables a backup holds, in foreign-key order (a table after every table it references, so
 * a restore inserts in this order and deletes in the reverse), and which it leaves out and why.
 * Every table of the database must be in one of the two lists: a backup refuses to run when a
 * migration added a table that is in neither (and {@code BackupTablesIT} says so first), so a new
 * table is never silently left out. The columns are read from the database, so a column added by
 * a migration is backed up without a change here.
 */
public final class BackupTables {
    private BackupTables() {}

    /** Backed up, in foreign-key order. */
    public static final List<String> BACKED_UP = List.of(
            "products",
            "api_keys",
            "admin_tokens",
            "admin_users",
            "admin_recovery_codes",
            "customers",
            "license_types",
            "licenses",
            "devices",
            "license_deactivations",
            "sessions",
            "usage_daily",
            "usage_daily_computed",
            "anomalies",
            "usage_quotas",
            "usage_counters",
            "signing_keys",
            "blocked_ips",
            "settings",
            "webhook_endpoints",
            "webhook_deliveries",
            "resources",
            "resource_allocations",
            "lead_institutions",
            "lead_contacts",
            "lead_notes",
            "lead_note_versions",
            "lead_tags",
            "lead_activities",
            "audit_log",
            "validation_log",
            "heartbeat_log");

    /** Left out, with the reason (docs/BACKUPS.md repeats these). */
    public static final Map<String, String> EXCLUDED = excluded();

    private static Map<String, String> excluded() {
        Map<String, String> excluded = new LinkedHashMap<>();
        excluded.put("flyway_schema_history", "the schema comes from the migrations of the restoring server");
        excluded.put("shedlock", "job locks of the running instances");
        excluded.put("trust_locks", "job leases and key-rotation locks; its rows are made by the migrations");
        excluded.put("spring_session", "panel log-ins: serialized objects of one server version; log in again");
        excluded.put("spring_session_attributes", "panel log-ins (see spring_session)");
        excluded.put("used_nonces", "request-signing nonces, void after twice the 300 s window");
        excluded.put(
                "blocked_ip_clearances",
                "when blocks were last removed, which matters only within the key-enumeration window");
        String anomalyWindow =
                "the anomaly scan's counts, rebuilt from validation_log by its first round after a restore";
        excluded.put("anomaly_license_ips", anomalyWindow);
        excluded.put("anomaly_license_devices", anomalyWindow);
        excluded.put("anomaly_verify_minutes", anomalyWindow);
        excluded.put("anomaly_scan_state", "how far the anomaly scan's counts are; empty means rebuild them");
        excluded.put(
                "idempotency_keys",
                "24-hour replay answers describing the data as it was; after a restore a retried request acts again");
        return Map.copyOf(excluded);
    }
}
