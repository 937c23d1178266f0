package dev.licensor.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.support.Db;
import dev.licensor.server.support.ServerSecret;
import dev.licensor.server.testing.AbstractAdminIT;
import dev.licensor.server.testing.Http;
import dev.licensor.server.testing.SecondInstance;
import dev.licensor.server.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Backups end to end, on this run's database: made through the admin API while the server runs,
 * restored by the real command line into an empty database of the other kind (this run on H2:
 * the PostgreSQL database {@code <test database>_target}; on PostgreSQL: a new H2 file), where
 * the restored API key, licenses and admin token work and new rows get fresh ids; the refusals
 * (database not empty, another secret, newer schema); restore over the running server's data;
 * retention; downloads; roles.
 */
@AutoConfigureMockMvc
class BackupIT extends AbstractAdminIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LocalDate USAGE_DAY = LocalDate.of(2001, 2, 3);
    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    @Autowired
    private Backups backups;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private ServerSecret secret;

    @Autowired
    private AuditLog audit;

    @Autowired
    private TransactionTemplate tx;

    @Autowired
    private BackupJob job;

    @Autowired
    private Environment env;

    @Autowired
    private MockMvc mvc;

    /** A target database for a restore: where it is, and how a JDBC client and the CLI reach it. */
    private record Target(String jdbcUrl, String user, Map<String, String> environment, List<String> arguments) {}

    @Test
    void everyTableIsBackedUpOrExcludedWithAReason() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Set<String> tables = Schema.tables(c);
            assertThat(Schema.unaccounted(c))
                    .as("tables a migration added: list them in BackupTables.BACKED_UP or EXCLUDED")
                    .isEmpty();
            Set<String> listed = new TreeSet<>(BackupTables.BACKED_UP);
            listed.addAll(BackupTables.EXCLUDED.keySet());
            assertThat(tables).as("every listed table exists").containsExactlyInAnyOrderElementsOf(listed);
        }
        assertThat(BackupTables.BACKED_UP).contains("audit_log", "validation_log", "heartbeat_log", "licenses");
        assertThat(BackupTables.EXCLUDED).containsKeys("flyway_schema_history", "shedlock", "spring_session");
    }

    @Test
    void aBackupRestoresIntoAnEmptyDatabaseOfTheOtherKindByTheCommandLine() throws Exception {
        // Varied data: a product with an API key, customers, licenses (one suspended), devices, a live
        // session and an ended one, heartbeats, validation and audit entries.
        TestProduct product = product(Map.of("auto_activate_on_session", true));
        // A webhook, so that the changes below queue deliveries: the outbox is backed up too.
        Http.Response webhook = admin(
                "POST",
                "/api/admin/products/" + product.id() + "/webhooks",
                Map.of("url", "http://127.0.0.1:9/licensor-events", "events", List.of("license.created")));
        assertThat(webhook.status()).as(webhook.toString()).isEqualTo(201);
        long customer = customer("Backup Customer", Map.of("email", "backup@example.com"));
        customer("Second Customer", Map.of());
        String key =
                licenseKey(product, Map.of("customer_id", customer, "device_limit", 3, "concurrent_sessions_limit", 2));
        String suspended = licenseKey(product, Map.of());
        assertThat(admin("POST", "/api/admin/licenses/" + suspended + "/suspend", null)
                        .status())
                .isEqualTo(200);
        assertThat(activate(product, key, "hw-backup-1").status()).isEqualTo(200);
        Http.Response started = client(
                product,
                "/api/license/session/start",
                Map.of("license_key", key, "machine_id", "m1", "hardware_hash", "hw-backup-1", "version", "1.0.0"));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        String token = started.json().get("session_token").asString();
        assertThat(client(product, "/api/license/session/heartbeat", Map.of("session_token", token, "license_key", key))
                        .status())
                .isEqualTo(200);
        Http.Response other = client(
                product,
                "/api/license/session/start",
                Map.of("license_key", key, "machine_id", "m2", "hardware_hash", "hw-backup-2", "version", "1.0.0"));
        assertThat(other.status()).as(other.toString()).isEqualTo(200);
        assertThat(client(
                                product,
                                "/api/license/session/end",
                                Map.of(
                                        "session_token",
                                        other.json().get("session_token").asString()))
                        .status())
                .isEqualTo(200);
        assertThat(client(product, "/api/license/verify", Map.of("license_key", key, "hardware_hash", "hw-backup-1"))
                        .json()
                        .get("valid")
                        .asBoolean())
                .isTrue();
        long licenseId = jdbc.sql("SELECT id FROM licenses WHERE license_key = ?")
                .param(key)
                .query(Long.class)
                .single();
        long deviceId = jdbc.sql("SELECT id FROM devices WHERE license_id = ? AND hardware_hash = 'hw-backup-1'")
                .param(licenseId)
                .query(Long.class)
                .single();
        long sessionId = jdbc.sql("SELECT id FROM sessions WHERE token = ?")
                .param(UUID.fromString(token))
                .query(Long.class)
                .single();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Instant> beats = new ArrayList<>(List.of(now, now.minus(Duration.ofDays(1))));
        if (!TestDatabase.postgres()) {
            // Restored into PostgreSQL, whose heartbeat log has partitions for a few months only.
            beats.add(now.atOffset(ZoneOffset.UTC).minusMonths(5).toInstant());
        }
        for (Instant at : beats) {
            jdbc.sql(
                            "INSERT INTO heartbeat_log (at, license_id, session_id, device_id, ip, version) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(at.atOffset(ZoneOffset.UTC), licenseId, sessionId, deviceId, "203.0.113.7", "1.0.0")
                    .update();
        }
        jdbc.sql(
                        "INSERT INTO validation_log (at, product_id, license_id, license_key, action, result_code, ip) VALUES (?, ?, ?, ?, 'verify', 'VALID', '203.0.113.7')")
                .params(now.atOffset(ZoneOffset.UTC), product.id(), licenseId, key)
                .update();
        // A day of usage statistics (a DATE column, which the backup writes as yyyy-MM-dd) and its
        // mark as computed, on a day no catch-up of this run computes.
        jdbc.sql(
                        """
                        INSERT INTO usage_daily (usage_day, product_id, license_id, active_devices, session_minutes, computed_at)
                        VALUES (?, ?, ?, 2, 75, ?)""")
                .params(USAGE_DAY, product.id(), licenseId, now.atOffset(ZoneOffset.UTC))
                .update();
        jdbc.sql("DELETE FROM usage_daily_computed WHERE usage_day = ?")
                .param(USAGE_DAY)
                .update();
        jdbc.sql("INSERT INTO usage_daily_computed (usage_day, licenses, computed_at) VALUES (?, 1, ?)")
                .params(USAGE_DAY, now.atOffset(ZoneOffset.UTC))
                .update();
        // A lead with everything of it: a contact person, a note in two versions, a tag, an activity.
        long lead = admin("POST", "/api/admin/leads", Map.of("name", "Backup Lead", "tags", List.of("backup")))
                .json()
                .get("id")
                .asLong();
        long contact = admin("POST", "/api/admin/leads/" + lead + "/contacts", Map.of("name", "Backup Contact"))
                .json()
                .get("id")
                .asLong();
        long note = admin("POST", "/api/admin/leads/" + lead + "/notes", Map.of("text", "first"))
                .json()
                .get("id")
                .asLong();
        assertThat(admin("PATCH", "/api/admin/leads/" + lead + "/notes/" + note, Map.of("text", "second"))
                        .status())
                .isEqualTo(200);
        assertThat(admin(
                                "POST",
                                "/api/admin/leads/" + lead + "/activities",
                                Map.of("kind", "CALL", "summary", "Backup call", "contact_id", contact))
                        .status())
                .isEqualTo(201);

        Http.Response created = admin("POST", "/api/admin/backups", null);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String name = created.json().get("name").asString();
        assertThat(name).matches("licensor-backup-\\d{8}T\\d{6}Z(-\\d+)?\\.zip");
        assertThat(created.json().get("schema_version").asInt()).isGreaterThanOrEqualTo(7);
        assertThat(auditActions("backup", name)).containsExactly("backup.create");
        Path file = backups.file(name);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        assertThat(http.get("/actuator/prometheus").body())
                .contains("licensor_backup_last_success_timestamp_seconds ")
                .contains("licensor_backup_runs_total{outcome=\"success\"}");

        JsonNode manifest = manifest(file);
        assertThat(manifest.get("database").asString()).isEqualTo(TestDatabase.postgres() ? "postgresql" : "h2");
        assertThat(manifest.get("secret_fingerprint").asString()).hasSize(64);
        Map<String, Long> rows = new LinkedHashMap<>();
        manifest.get("tables")
                .properties()
                .forEach(e -> rows.put(e.getKey(), e.getValue().get("rows").asLong()));
        assertThat(rows.keySet()).containsExactlyElementsOf(BackupTables.BACKED_UP);
        // Tables no background work touches: the backup holds exactly what the database holds.
        for (String table : List.of(
                "products",
                "api_keys",
                "customers",
                "licenses",
                "devices",
                "admin_tokens",
                "webhook_endpoints",
                "lead_institutions",
                "lead_contacts",
                "lead_notes",
                "lead_note_versions",
                "lead_tags",
                "lead_activities")) {
            assertThat(rows.get(table)).as(table).isEqualTo(count(table)).isPositive();
        }
        assertThat(rows.get("sessions")).isGreaterThanOrEqualTo(2);
        assertThat(rows.get("heartbeat_log")).isGreaterThanOrEqualTo(beats.size());
        assertThat(rows.get("validation_log")).isPositive();
        assertThat(rows.get("audit_log")).isPositive();
        assertThat(rows.get("signing_keys")).isPositive();
        assertThat(rows.get("webhook_deliveries")).isGreaterThanOrEqualTo(2);
        assertThat(rows.get("usage_daily")).isPositive();
        assertThat(rows.get("usage_daily_computed")).isPositive();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String licenses = new String(
                    zip.getInputStream(zip.getEntry("tables/licenses.jsonl")).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(licenses).contains(key);
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String text = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
                assertThat(text).as(entry.getName()).doesNotContain("integration-test-secret");
            }
        }
        long maxLicenseId =
                jdbc.sql("SELECT MAX(id) FROM licenses").query(Long.class).single();

        // The command line, as `java -jar licensor-server.jar restore <file>` runs it.
        Target target = emptyTargetOfTheOtherKind();
        Cli restored = cli(target, "integration-test-secret-0123456789abcdef", file);
        assertThat(restored.status()).as(restored.output()).isZero();
        assertThat(restored.output()).contains("Restored " + name).contains("licenses");
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), "")) {
            for (var table : rows.entrySet()) {
                assertThat(count(c, table.getKey())).as(table.getKey()).isEqualTo(table.getValue());
            }
            try (var usage = c.prepareStatement(
                    "SELECT usage_day, active_devices, session_minutes FROM usage_daily WHERE license_id = ?")) {
                usage.setLong(1, licenseId);
                try (ResultSet rs = usage.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getObject("usage_day", LocalDate.class)).isEqualTo(USAGE_DAY);
                    assertThat(rs.getInt("active_devices")).isEqualTo(2);
                    assertThat(rs.getLong("session_minutes")).isEqualTo(75);
                }
            }
        }

        // Refused: the target is no longer empty (in-process run of the same command).
        CliResult again = inProcess(target, "integration-test-secret-0123456789abcdef", file);
        assertThat(again.status()).as(again.output()).isEqualTo(2);
        assertThat(again.output()).contains("not empty");

        // A server on the restored database: the restored API key, license keys (check characters
        // from the secret) and admin token work; new rows get fresh ids.
        Map<String, Object> props = new HashMap<>();
        props.put("spring.datasource.url", target.jdbcUrl());
        props.put("spring.datasource.username", target.user());
        props.put("spring.datasource.password", "");
        props.put("spring.datasource.hikari.idle-timeout", "0");
        props.put("spring.datasource.hikari.max-lifetime", "0");
        try (SecondInstance restoredServer = SecondInstance.startAlone(props)) {
            Http there = restoredServer.http();
            Http.Response verified = there.post(
                    "/api/license/verify",
                    Map.of("license_key", key, "hardware_hash", "hw-backup-1"),
                    "X-API-Key",
                    product.apiKey());
            assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
            assertThat(verified.json().get("code").asString()).isEqualTo("VALID");
            assertThat(there.post(
                                    "/api/license/verify",
                                    Map.of("license_key", suspended),
                                    "X-API-Key",
                                    product.apiKey())
                            .json()
                            .get("code")
                            .asString())
                    .isEqualTo("SUSPENDED");
            Http.Response activated = there.post(
                    "/api/license/activate",
                    Map.of("license_key", key, "hardware_hash", "hw-backup-3"),
                    "X-API-Key",
                    product.apiKey());
            assertThat(activated.status()).as(activated.toString()).isEqualTo(200);
            assertThat(activated.json().get("new_device").asBoolean()).isTrue();
            Http.Response fresh = there.send(
                    "POST",
                    "/api/admin/licenses",
                    Map.of("product_id", product.id()),
                    "Authorization",
                    "Bearer " + TestDatabase.ADMIN_TOKEN);
            assertThat(fresh.status()).as(fresh.toString()).isEqualTo(201);
            assertThat(fresh.json().get("id").asLong()).isGreaterThan(maxLicenseId);
        }
    }

    @Test
    void aBackupOfAnotherSecretOrANewerSchemaIsRefused() throws Exception {
        Path file = backups.file(backups.create().name());

        CliResult otherSecret = inProcess(freshH2(), "another-secret-0123456789abcdef-0123456789", file);
        assertThat(otherSecret.status()).as(otherSecret.output()).isEqualTo(2);
        assertThat(otherSecret.output()).contains("another LICENSOR_SECRET").contains("original LICENSOR_SECRET");

        Path newer = withManifest(file, m -> m.put("schema_version", 99));
        CliResult newerSchema = inProcess(freshH2(), "integration-test-secret-0123456789abcdef", newer);
        assertThat(newerSchema.status()).as(newerSchema.output()).isEqualTo(2);
        assertThat(newerSchema.output()).contains("schema version 99, newer");

        CliResult notABackup = inProcess(freshH2(), "integration-test-secret-0123456789abcdef", writeText("not a zip"));
        assertThat(notABackup.status()).as(notABackup.output()).isEqualTo(2);

        // The admin API refuses the same backup over the running server, and changes nothing.
        long licenses = count("licenses");
        Http.Response refused = restore(Files.readAllBytes(newer), "RESTORE");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("newer");
        Http.Response unconfirmed = restore(Files.readAllBytes(file), "yes");
        assertInvalid(unconfirmed, "confirm");
        assertThat(count("licenses")).isEqualTo(licenses);
    }

    @Test
    void aRestoreOverTheRunningServerReplacesItsDataAndIsAudited() throws Exception {
        TestProduct product = product();
        String kept = licenseKey(product, Map.of());
        Path file = backups.file(backups.create().name());
        String added = licenseKey(product, Map.of());
        assertThat(admin("DELETE", "/api/admin/licenses/" + kept, null).status())
                .isIn(200, 204);
        int before = backups.list(new dev.licensor.server.web.PageResponse.Paging(0, 500))
                .items()
                .size();
        jdbc.sql("UPDATE anomaly_scan_state SET seen_id = 1, scanned_at = ?, window_hours = 24")
                .param(Db.ts(Instant.now()))
                .update();

        Http.Response restored = restore(Files.readAllBytes(file), "RESTORE");
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        assertThat(restored.json().get("rows").get("licenses").asLong()).isPositive();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM anomaly_scan_state WHERE seen_id IS NULL")
                        .query(Long.class)
                        .single())
                .as("the anomaly scan's counts are rebuilt from the restored log")
                .isOne();

        assertThat(adminGet("/api/admin/licenses/" + kept).status()).isEqualTo(200);
        assertThat(adminGet("/api/admin/licenses/" + added).status()).isEqualTo(404);
        assertThat(client(product, "/api/license/verify", Map.of("license_key", kept))
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("VALID");
        // The entry is written after the restore, so it survives it; the replaced data was backed up first.
        assertThat(auditActions("backup", "restore-me.zip")).containsExactly("backup.restore");
        assertThat(backups.list(new dev.licensor.server.web.PageResponse.Paging(0, 500))
                        .items())
                .hasSize(before + 1)
                .extracting(BackupFile::name)
                .contains(restored.json().get("safety_backup").asString());
        String fresh = licenseKey(product, Map.of());
        assertThat(fresh).isNotBlank();
    }

    @Test
    void aBackupOfAnOlderSchemaIsRestoredIntoItAndUpgradedByTheCommandLine() throws Exception {
        // A database as schema version 6 left it, with a product, backed up by this code.
        String url = "jdbc:h2:mem:schema6-" + UUID.randomUUID() + H2_OPTIONS + ";DB_CLOSE_DELAY=-1";
        DriverManagerDataSource old = new DriverManagerDataSource(url, "sa", "");
        Flyway.configure()
                .dataSource(old)
                .locations("classpath:db/migration", "classpath:db/vendor/h2")
                .target("6")
                .load()
                .migrate();
        Instant now = Instant.now();
        JdbcClient.create(old)
                .sql("INSERT INTO products (name, key_prefix, created_at, updated_at) VALUES ('Old', 'OLDP', ?, ?)")
                .params(now.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC))
                .update();
        Path file = Files.createTempFile("licensor-backup-schema6-", ".zip");
        try (var out = Files.newOutputStream(file)) {
            new BackupWriter(old, JSON, Clock.systemUTC(), "0.0.9", Backups.fingerprint(secret)).write(out);
        }
        assertThat(manifest(file).get("schema_version").asInt()).isEqualTo(6);

        Target target = freshH2();
        CliResult restored = inProcess(target, "integration-test-secret-0123456789abcdef", file);
        assertThat(restored.status()).as(restored.output()).isZero();
        assertThat(restored.output()).contains("Upgraded the restored data from schema 6 to ");
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), "sa", "")) {
            assertThat(Schema.major(Schema.flywayVersion(c))).isGreaterThanOrEqualTo(7);
            assertThat(count(c, "spring_session")).isZero(); // a V7 table: the upgrade ran
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT name FROM products WHERE key_prefix = 'OLDP'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Old");
            }
        }

        // Over a running server (already at the newer schema) it is refused with the reason.
        Http.Response refused = restore(Files.readAllBytes(file), "RESTORE");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("schema version 6, older");
    }

    @Test
    void aBackupIsOnePointInTimeWhileTheServerWrites() throws Exception {
        // Right after the backup has read its first table, another connection adds a customer (and
        // commits). The backup reads customers later, but from its snapshot: without the new row.
        long customers = count("customers");
        DataSource writingMeanwhile = afterFirstTable(dataSource, () -> jdbc.sql(
                        "INSERT INTO customers (name, test, created_at, updated_at) VALUES ('Meanwhile', FALSE, ?, ?)")
                .params(Instant.now().atOffset(ZoneOffset.UTC), Instant.now().atOffset(ZoneOffset.UTC))
                .update());
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        Manifest manifest =
                new BackupWriter(writingMeanwhile, JSON, Clock.systemUTC(), "test", "fingerprint").write(zip);

        assertThat(count("customers"))
                .as("the customer was added during the backup")
                .isEqualTo(customers + 1);
        assertThat(manifest.rows().get("customers")).isEqualTo(customers);
    }

    /** A data source whose connections run {@code action} once, after their first {@code SELECT * FROM}. */
    private static DataSource afterFirstTable(DataSource real, Runnable action) {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        return (DataSource) java.lang.reflect.Proxy.newProxyInstance(
                BackupIT.class.getClassLoader(), new Class<?>[] {DataSource.class}, (ds, dsMethod, dsArgs) -> {
                    Object result = invoke(dsMethod, real, dsArgs);
                    if (!(result instanceof Connection connection)) {
                        return result;
                    }
                    return java.lang.reflect.Proxy.newProxyInstance(
                            BackupIT.class.getClassLoader(), new Class<?>[] {Connection.class}, (c, cMethod, cArgs) -> {
                                Object made = invoke(cMethod, connection, cArgs);
                                if (!(made instanceof Statement statement)
                                        || !cMethod.getName().equals("createStatement")) {
                                    return made;
                                }
                                return java.lang.reflect.Proxy.newProxyInstance(
                                        BackupIT.class.getClassLoader(),
                                        new Class<?>[] {Statement.class},
                                        (st, sMethod, sArgs) -> {
                                            Object value = invoke(sMethod, statement, sArgs);
                                            if (sMethod.getName().equals("executeQuery")
                                                    && String.valueOf(sArgs[0]).startsWith("SELECT * FROM")
                                                    && done.compareAndSet(false, true)) {
                                                action.run();
                                            }
                                            return value;
                                        });
                            });
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void retentionDeletesOnlyBackupsOlderThanItsDays() throws Exception {
        Path dir = Files.createTempDirectory("licensor-backups-");
        Instant now = Instant.parse("2026-11-30T03:00:00Z");
        BackupProperties properties = new BackupProperties(dir.toString(), true, "-", 14);
        backupsAt(properties, now.minus(Duration.ofDays(20))).write();
        BackupFile recent =
                backupsAt(properties, now.minus(Duration.ofDays(13))).write();
        BackupFile today = backupsAt(properties, now).write();
        Files.writeString(dir.resolve("notes.txt"), "not a backup");
        Path abandoned = Files.writeString(dir.resolve(".incomplete-1.zip"), "a backup that never finished");
        Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.from(now.minus(Duration.ofDays(2))));

        List<String> deleted = backupsAt(properties, now).purge();

        assertThat(deleted).containsExactly("licensor-backup-20261110T030000Z.zip");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(recent.name(), today.name(), "notes.txt");
        }
    }

    @Test
    void theDailyJobMakesABackup() {
        int before = backups.list(new dev.licensor.server.web.PageResponse.Paging(0, 500))
                .items()
                .size();
        job.run();
        assertThat(backups.list(new dev.licensor.server.web.PageResponse.Paging(0, 500))
                        .items())
                .hasSizeGreaterThan(before);
    }

    @Test
    void downloadsServeBackupsOnlyAndOnlyToAdministrators() throws IOException {
        String name =
                admin("POST", "/api/admin/backups", null).json().get("name").asString();
        HttpResponse<byte[]> download = raw("GET", "/api/admin/backups/" + name, TestDatabase.ADMIN_TOKEN);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(new String(download.body(), 0, 2, StandardCharsets.ISO_8859_1))
                .isEqualTo("PK");

        Files.writeString(backups.directory().resolve("..").resolve("outside.zip"), "secret");
        for (String attempt :
                List.of("..%2Foutside.zip", "..%2F..%2Fsecret", "outside.zip", "..", "licensor-backup-x.zip")) {
            HttpResponse<byte[]> refused = raw("GET", "/api/admin/backups/" + attempt, TestDatabase.ADMIN_TOKEN);
            assertThat(refused.statusCode()).as(attempt).isIn(400, 404);
        }
        assertThatThrownBy(() -> backups.file("../outside.zip")).isInstanceOf(RuntimeException.class);
        assertThat(adminGet("/api/admin/backups")
                        .json()
                        .get("items")
                        .valueStream()
                        .map(i -> i.get("name").asString()))
                .contains(name);

        for (Role role : List.of(Role.VIEWER, Role.SUPPORT)) {
            assertThat(as(role, "POST", "/api/admin/backups", null).status())
                    .as(role.name())
                    .isEqualTo(403);
            assertThat(as(role, "GET", "/api/admin/backups", null).status())
                    .as(role.name())
                    .isEqualTo(403);
            assertThat(raw("GET", "/api/admin/backups/" + name, token(role)).statusCode())
                    .isEqualTo(403);
            assertThat(restoreAs(token(role), Files.readAllBytes(backups.file(name)), "RESTORE")
                            .status())
                    .as(role.name())
                    .isEqualTo(403);
        }
    }

    @Test
    void thePanelMakesListsAndRestoresBackups() throws Exception {
        var admin = user("panel-admin").roles("ADMIN");
        MvcResult made =
                mvc.perform(post("/admin/backups").with(csrf()).with(admin)).andReturn();
        assertThat(made.getResponse().getRedirectedUrl()).isEqualTo("/admin/backups");
        assertThat(((dev.licensor.server.web.admin.Flash) made.getFlashMap().get("flash")).kind())
                .isEqualTo("success");
        String name = backups.list(new dev.licensor.server.web.PageResponse.Paging(0, 1))
                .items()
                .getFirst()
                .name();

        String page = mvc.perform(get("/admin/backups").with(admin))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(page).contains(name).contains("Back up now").contains("Type RESTORE to confirm");
        String german = mvc.perform(get("/admin/backups").with(admin).header("Accept-Language", "de"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(german).contains("Jetzt sichern").contains("Wiederherstellen");

        byte[] zip = Files.readAllBytes(backups.file(name));
        MvcResult unconfirmed = mvc.perform(multipart("/admin/backups/restore")
                        .file(new MockMultipartFile("file", name, "application/zip", zip))
                        .param("confirm", "yes")
                        .with(csrf())
                        .with(admin))
                .andReturn();
        assertThat(((dev.licensor.server.web.admin.Flash)
                                unconfirmed.getFlashMap().get("flash"))
                        .kind())
                .isEqualTo("danger");
        MvcResult restored = mvc.perform(multipart("/admin/backups/restore")
                        .file(new MockMultipartFile("file", name, "application/zip", zip))
                        .param("confirm", "RESTORE")
                        .with(csrf())
                        .with(admin))
                .andReturn();
        dev.licensor.server.web.admin.Flash flash =
                (dev.licensor.server.web.admin.Flash) restored.getFlashMap().get("flash");
        assertThat(flash.kind()).as(String.valueOf(flash.text())).isEqualTo("success");
        assertThat(flash.key()).isEqualTo("panel.backups.restored");
        assertThat(auditActions("backup", name)).contains("backup.restore");

        MvcResult viewer = mvc.perform(get("/admin/backups").with(user("v").roles("VIEWER")))
                .andReturn();
        assertThat(viewer.getResponse().getStatus()).isEqualTo(403);
    }

    // --- helpers ---

    private Backups backupsAt(BackupProperties properties, Instant at) {
        return new Backups(
                dataSource,
                properties,
                env.getRequiredProperty("licensor.data-dir"),
                secret,
                Clock.fixed(at, ZoneOffset.UTC),
                audit,
                tx,
                new SimpleMeterRegistry());
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static JsonNode manifest(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile());
                InputStream in = zip.getInputStream(zip.getEntry("manifest.json"))) {
            return JSON.readTree(in);
        }
    }

    private static Path withManifest(Path file, java.util.function.Consumer<ObjectNode> change) throws IOException {
        Path copy = Files.createTempFile("licensor-backup-changed-", ".zip");
        try (ZipFile zip = new ZipFile(file.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                byte[] bytes = zip.getInputStream(entry).readAllBytes();
                if (entry.getName().equals("manifest.json")) {
                    ObjectNode manifest = (ObjectNode) JSON.readTree(bytes);
                    change.accept(manifest);
                    bytes = JSON.writeValueAsBytes(manifest);
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        return copy;
    }

    private static Path writeText(String text) throws IOException {
        Path file = Files.createTempFile("licensor-not-a-backup-", ".zip");
        Files.writeString(file, text);
        return file;
    }

    /** This run on H2: the PostgreSQL target database, emptied; on PostgreSQL: a new H2 file. */
    private Target emptyTargetOfTheOtherKind() throws IOException, SQLException {
        if (TestDatabase.postgres()) {
            return h2File();
        }
        String url = TestDatabase.postgresUrl().replaceFirst("/([^/?]+)(\\?|$)", "/$1_target$2");
        createDatabaseIfMissing(url);
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        URI uri = URI.create(url.substring("jdbc:".length()));
        String database = uri.getPath();
        // DATABASE_URL, as an operator moving to PostgreSQL sets it (docs/BACKUPS.md).
        String databaseUrl = "postgresql://postgres@" + uri.getHost() + ":" + uri.getPort() + database;
        return new Target(url, "", Map.of("DATABASE_URL", databaseUrl), List.of());
    }

    /** The target database beside the test database (created once where it does not exist, e.g. on CI). */
    private static void createDatabaseIfMissing(String url) throws SQLException {
        String name = URI.create(url.substring("jdbc:".length())).getPath().substring(1);
        try (Connection c = DriverManager.getConnection(TestDatabase.postgresUrl());
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE \"" + name + "\"");
        }
    }

    private static Target h2File() throws IOException {
        Path dir = Files.createTempDirectory("licensor-restore-h2-");
        String url = "jdbc:h2:file:" + dir.resolve("licensor") + H2_OPTIONS;
        return new Target(
                url, "sa", Map.of(), List.of("--spring.datasource.url=" + url, "--spring.datasource.username=sa"));
    }

    private static Target freshH2() {
        String url = "jdbc:h2:mem:restore-" + UUID.randomUUID() + H2_OPTIONS + ";DB_CLOSE_DELAY=-1";
        return new Target(
                url, "sa", Map.of(), List.of("--spring.datasource.url=" + url, "--spring.datasource.username=sa"));
    }

    private record Cli(int status, String output) {}

    private record CliResult(int status, String output) {}

    /** The command in a JVM of its own, started as the jar's main class starts it. */
    private static Cli cli(Target target, String secret, Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.licensor.server.LicensorApplication");
        command.add("restore");
        command.add(file.toString());
        command.add("--licensor.data-dir=" + Files.createTempDirectory("licensor-cli-"));
        command.addAll(target.arguments());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("DATABASE_URL");
        builder.environment().putAll(target.environment());
        builder.environment().put("LICENSOR_SECRET", secret);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Cli(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** The command in this JVM (quicker, for the refusals). */
    private static CliResult inProcess(Target target, String secret, Path file) throws IOException {
        Map<String, Object> props = new HashMap<>();
        props.put("LICENSOR_SECRET", secret);
        props.put(
                "licensor.data-dir", Files.createTempDirectory("licensor-cli-").toString());
        props.put("spring.datasource.url", target.jdbcUrl());
        props.put("spring.datasource.username", target.user());
        props.put("spring.datasource.password", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int status = BackupCommand.run(new String[] {"restore", file.toString()}, props, print, print);
        return new CliResult(status, out.toString(StandardCharsets.UTF_8));
    }

    private Http.Response restore(byte[] zip, String confirmation) {
        return restoreAs(TestDatabase.ADMIN_TOKEN, zip, confirmation);
    }

    /** {@code POST /api/admin/backups/restore} as multipart: the file and the confirmation. */
    private Http.Response restoreAs(String bearer, byte[] zip, String confirmation) {
        String boundary = "----licensor" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"confirm\"\r\n\r\n" + confirmation
                        + "\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"restore-me.zip\"\r\n"
                        + "Content-Type: application/zip\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(zip);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/admin/backups/restore"))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            return new Http.Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> raw(String method, String path, String bearer) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + bearer)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
