package dev.licensor.server.backup;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.support.ServerSecret;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Backups (SPEC §7): made on demand and by {@link BackupJob}, kept in the backup directory for
 * {@code licensor.backup.retention-days}, listed, downloaded, deleted, and restored over the
 * running server's data. Restoring into an empty database is {@link BackupCommand}'s job.
 */
@Service
public class Backups {
    private static final Logger log = LoggerFactory.getLogger(Backups.class);

    /** The only names the directory is read and written under: no path can be smuggled in. */
    static final Pattern NAME = Pattern.compile("licensor-backup-(\\d{8}T\\d{6}Z)(?:-(\\d{1,3}))?\\.zip");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

    /** The word a restore over the running server's data must be confirmed with. */
    public static final String CONFIRMATION = "RESTORE";

    private final Path dir;
    private final BackupProperties properties;
    private final Clock clock;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final BackupWriter writer;
    private final Restorer restorer;
    private final ReentrantLock restoring = new ReentrantLock();
    private final AtomicLong lastSuccess = new AtomicLong();
    private final Counter succeeded;
    private final Counter failed;

    Backups(
            DataSource dataSource,
            BackupProperties properties,
            @Value("${licensor.data-dir}") String dataDir,
            ServerSecret secret,
            Clock clock,
            AuditLog audit,
            TransactionTemplate tx,
            MeterRegistry meters) {
        this.dir = directory(properties, dataDir);
        this.properties = properties;
        this.clock = clock;
        this.audit = audit;
        this.tx = tx;
        JsonMapper json = JsonMapper.builder().build();
        String fingerprint = fingerprint(secret);
        this.writer = new BackupWriter(dataSource, json, clock, serverVersion(), fingerprint);
        this.restorer = new Restorer(dataSource, json, fingerprint);
        this.succeeded = Counter.builder("licensor.backup.runs")
                .description("Backups made, by outcome")
                .tag("outcome", "success")
                .register(meters);
        this.failed = Counter.builder("licensor.backup.runs")
                .description("Backups made, by outcome")
                .tag("outcome", "failure")
                .register(meters);
        newestOnDisk().ifPresent(newest -> lastSuccess.set(newest.getEpochSecond()));
        Gauge.builder("licensor.backup.last.success.timestamp", lastSuccess, AtomicLong::get)
                .description("When the newest backup in this instance's backup directory was made (Unix time; 0: none)")
                .baseUnit("seconds")
                .register(meters);
    }

    /** {@code licensor.backup.dir}, or {@code <data dir>/backups}. */
    static Path directory(BackupProperties properties, String dataDir) {
        String configured = properties.dir();
        return configured == null || configured.isBlank() ? Path.of(dataDir).resolve("backups") : Path.of(configured);
    }

    /** An HMAC of a fixed label with the server secret: equal on servers sharing a secret, and nothing more. */
    static String fingerprint(ServerSecret secret) {
        return HexFormat.of().formatHex(secret.derive("licensor/backup/secret-fingerprint/v1"));
    }

    static String serverVersion() {
        String version = Backups.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    public Path directory() {
        return dir;
    }

    /** Makes a backup now (an administrator's request: audited). */
    public BackupFile create() {
        BackupFile file = write();
        tx.executeWithoutResult(s -> audit.record("backup.create", "backup", file.name(), null, file));
        return file;
    }

    /** Makes a backup into the directory: written to a temporary file, then renamed into place. */
    BackupFile write() {
        Path temp = null;
        try {
            Files.createDirectories(dir);
            ServerSecret.restrictToOwner(dir);
            Instant now = clock.instant();
            String name = freeName(now);
            temp = Files.createTempFile(dir, ".incomplete-", ".zip");
            ServerSecret.restrictToOwner(temp);
            Manifest manifest;
            try (OutputStream out = Files.newOutputStream(temp)) {
                manifest = writer.write(out);
            }
            Path target = dir.resolve(name);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                target = dir.resolve(freeName(now));
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            lastSuccess.accumulateAndGet(now.getEpochSecond(), Math::max);
            succeeded.increment();
            log.info("backup {} written ({} bytes)", target.getFileName(), Files.size(target));
            return new BackupFile(
                    target.getFileName().toString(),
                    Files.size(target),
                    manifest.createdAt(),
                    manifest.schemaVersion());
        } catch (IOException | SQLException | RuntimeException e) {
            failed.increment();
            log.error("backup failed", e);
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    log.warn("could not delete {}", temp);
                }
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException("backup failed: " + e, e);
        }
    }

    private String freeName(Instant now) {
        String stamp = STAMP.format(now.atOffset(ZoneOffset.UTC));
        String name = "licensor-backup-" + stamp + ".zip";
        for (int i = 1; Files.exists(dir.resolve(name)) && i < 1000; i++) {
            name = "licensor-backup-" + stamp + "-" + i + ".zip";
        }
        return name;
    }

    /** Backups in the directory, newest first. */
    public PageResponse<BackupFile> list(PageResponse.Paging paging) {
        List<Path> files = files();
        List<BackupFile> items = new ArrayList<>();
        for (Path file :
                files.stream().skip(paging.offset()).limit(paging.size()).toList()) {
            items.add(describe(file));
        }
        return PageResponse.of(items, paging, files.size());
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(
                                    (Path p) -> createdAt(p.getFileName().toString()))
                            .thenComparing(p -> p.getFileName().toString())
                            .reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BackupFile describe(Path file) {
        String name = file.getFileName().toString();
        Integer schema = null;
        Instant created = createdAt(name);
        try {
            Manifest manifest = restorer.manifest(file);
            schema = manifest.schemaVersion();
            created = manifest.createdAt();
        } catch (IOException | RuntimeException e) {
            log.debug("cannot read the manifest of {}: {}", name, e.toString());
        }
        try {
            return new BackupFile(name, Files.size(file), created, schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant createdAt(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException(name);
        }
        return LocalDateTime.parse(m.group(1), STAMP).toInstant(ZoneOffset.UTC);
    }

    /** The newest backup's time, for the gauge; an unreadable directory must not stop the server. */
    private Optional<Instant> newestOnDisk() {
        try {
            return files().stream()
                    .findFirst()
                    .map(p -> createdAt(p.getFileName().toString()));
        } catch (UncheckedIOException e) {
            log.warn("cannot read the backup directory {}: {}", dir, e.toString());
            return Optional.empty();
        }
    }

    /** A backup file of the directory by name; 404 for anything else (other names, paths). */
    public Path file(String name) {
        if (!NAME.matcher(name).matches()) {
            throw ApiException.of(ErrorCode.NOT_FOUND);
        }
        Path file = dir.resolve(name);
        if (!file.normalize().getParent().equals(dir.normalize()) || !Files.isRegularFile(file)) {
            throw ApiException.of(ErrorCode.NOT_FOUND);
        }
        return file;
    }

    public void delete(String name) {
        Path file = file(name);
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tx.executeWithoutResult(s -> audit.record("backup.delete", "backup", name, null, null));
    }

    /** Deletes the backups older than the retention; returns their names. */
    List<String> purge() {
        Instant cutoff = clock.instant().minus(java.time.Duration.ofDays(properties.retentionDays()));
        List<String> deleted = new ArrayList<>();
        for (Path file : files()) {
            String name = file.getFileName().toString();
            if (createdAt(name).isBefore(cutoff)) {
                try {
                    Files.deleteIfExists(file);
                    deleted.add(name);
                } catch (IOException e) {
                    log.warn("could not delete old backup {}: {}", name, e.toString());
                }
            }
        }
        if (!deleted.isEmpty()) {
            log.info("deleted backups older than {} days: {}", properties.retentionDays(), deleted);
        }
        deleteAbandonedTemporaryFiles();
        return deleted;
    }

    /** Temporary files of backups that never finished (the server stopped while writing), after a day. */
    private void deleteAbandonedTemporaryFiles() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Instant cutoff = clock.instant().minus(java.time.Duration.ofDays(1));
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path file : entries.filter(p -> p.getFileName().toString().startsWith(".incomplete-"))
                    .toList()) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            log.warn("could not tidy the backup directory {}: {}", dir, e.toString());
        }
    }

    /**
     * Replaces all backed-up data of this server with a backup's, in one transaction, after making
     * a backup of the data it replaces. Refused unless confirmed with {@value #CONFIRMATION}, and for
     * a backup of another secret or schema version. Audited after the restore, so the entry
     * survives it.
     */
    public RestoreSummary restoreReplacing(Path upload, String originalName, String confirmation) {
        if (!CONFIRMATION.equals(confirmation.strip())) {
            throw JsonFields.invalid("confirm", "type " + CONFIRMATION + " to replace all data with the backup");
        }
        if (!restoring.tryLock()) {
            throw ApiException.of(ErrorCode.CONFLICT).detail("backup.refused.running");
        }
        try {
            Restorer.Result result;
            BackupFile safety;
            try {
                restorer.verify(upload);
                safety = write();
                result = restorer.restore(upload, Restorer.Mode.REPLACE);
            } catch (RestoreRefused e) {
                throw problem(e);
            } catch (IOException | SQLException e) {
                throw new IllegalStateException("restore failed: " + e.getMessage(), e);
            }
            RestoreSummary summary = new RestoreSummary(
                    result.manifest().createdAt(),
                    result.manifest().database(),
                    result.manifest().schemaVersion(),
                    result.rows(),
                    safety.name());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", originalName);
            entry.put("summary", summary);
            tx.executeWithoutResult(s -> audit.record("backup.restore", "backup", originalName, null, entry));
            log.warn("restored backup {} over the data (the replaced data is in {})", originalName, safety.name());
            return summary;
        } finally {
            restoring.unlock();
        }
    }

    static ApiException problem(RestoreRefused e) {
        ErrorCode code = e.key().equals("backup.refused.not-a-backup") ? ErrorCode.INVALID_REQUEST : ErrorCode.CONFLICT;
        return ApiException.of(code).detail(e.key(), e.args());
    }
}
