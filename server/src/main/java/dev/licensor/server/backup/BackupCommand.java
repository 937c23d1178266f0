package dev.licensor.server.backup;

import dev.licensor.server.support.ServerSecret;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar licensor-server.jar restore <backup.zip>}: migrates the configured database
 * (H2 under the data directory, or {@code DATABASE_URL}), restores the backup into it — it must be
 * empty — prints what it restored and exits, without starting the web server or any job. A backup
 * of an older schema version is restored into the schema it was made from, then upgraded by the
 * remaining migrations ({@link MigrateToBackup}). With
 * {@code DATABASE_URL} pointing at a new PostgreSQL database this moves an embedded install there.
 * Exit status: 0 restored, 2 refused (the message says why), 1 failed, 64 wrong arguments.
 */
public final class BackupCommand {
    public static final String NAME = "restore";

    private BackupCommand() {}

    /** Whether the command line asks for this command rather than the server. */
    public static boolean requested(String[] args) {
        return args.length > 0 && NAME.equals(args[0]);
    }

    public static int run(String[] args) {
        return run(args, Map.of(), System.out, System.err);
    }

    /** Runs the command; {@code properties} override the configuration (tests). */
    public static int run(String[] args, Map<String, Object> properties, PrintStream out, PrintStream err) {
        List<String> operands =
                Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
        if (operands.size() != 2 || !NAME.equals(operands.get(0))) {
            err.println("usage: java -jar licensor-server.jar restore <licensor-backup-….zip>");
            return 64;
        }
        Path file = Path.of(operands.get(1));
        if (!Files.isRegularFile(file)) {
            err.println("restore refused: no such file " + file.toAbsolutePath());
            return 64;
        }
        JsonMapper json = JsonMapper.builder().build();
        Manifest manifest;
        try {
            manifest = Restorer.manifest(file, json);
        } catch (RestoreRefused e) {
            err.println("restore refused: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("restore failed: " + e);
            return 1;
        }
        MigrateToBackup migrations = new MigrateToBackup(manifest.schemaVersion());
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Context.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .initializers(c -> {
                    c.getEnvironment()
                            .getPropertySources()
                            .addFirst(new MapPropertySource("restoreCommand", properties));
                    c.getBeanFactory().registerSingleton("restoreMigrationStrategy", migrations);
                })
                .run(args)) {
            Environment env = context.getEnvironment();
            String configured = env.getProperty("LICENSOR_SECRET", "");
            Path dataDir = Path.of(env.getRequiredProperty("licensor.data-dir"));
            if (configured.isBlank() && !Files.exists(dataDir.resolve("secret"))) {
                throw new RestoreRefused("no-secret", dataDir.toAbsolutePath());
            }
            ServerSecret secret = ServerSecret.load(configured, dataDir, new SecureRandom());
            Restorer restorer = new Restorer(context.getBean(DataSource.class), json, Backups.fingerprint(secret));
            Restorer.Result result = restorer.restore(file, Restorer.Mode.EMPTY_DATABASE);
            if (migrations.stoppedAt != null) {
                // The backup is of an older schema: the rest of the migrations upgrade its data.
                MigrateResult upgrade = context.getBean(Flyway.class).migrate();
                out.printf(
                        "Upgraded the restored data from schema %s to %s.%n",
                        migrations.stoppedAt,
                        upgrade.targetSchemaVersion == null ? migrations.stoppedAt : upgrade.targetSchemaVersion);
            }
            out.printf(
                    "Restored %s (made %s on %s, schema version %d) into %s:%n",
                    file.getFileName(),
                    result.manifest().createdAt(),
                    result.manifest().database(),
                    result.manifest().schemaVersion(),
                    env.getProperty("spring.datasource.url", "?").replaceAll("(?i)password=[^&;]*", "password=…"));
            result.rows().forEach((table, rows) -> out.printf("  %-24s %10d rows%n", table, rows));
            out.println("Start the server on this database with the same LICENSOR_SECRET.");
            return 0;
        } catch (RestoreRefused e) {
            err.println("restore refused: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("restore failed: " + e);
            return 1;
        }
    }

    /**
     * Migrates the new database only as far as the backup's schema version when the backup is
     * older than this server (the restore needs the tables as they were), so the remaining
     * migrations upgrade the restored data exactly as they upgrade a running install. Otherwise
     * migrates all the way; a newer backup is then refused by the restore.
     */
    static final class MigrateToBackup implements FlywayMigrationStrategy {
        private final int backupSchema;
        private @Nullable MigrationVersion stoppedAt;

        MigrateToBackup(int backupSchema) {
            this.backupSchema = backupSchema;
        }

        @Override
        public void migrate(Flyway flyway) {
            MigrationVersion last = null;
            int latest = 0;
            for (MigrationInfo migration : flyway.info().all()) {
                MigrationVersion version = migration.getVersion();
                if (version == null) {
                    continue;
                }
                latest = Math.max(latest, Schema.major(version));
                if (Schema.major(version) <= backupSchema && (last == null || version.isNewerThan(last))) {
                    last = version;
                }
            }
            if (backupSchema < latest && last != null) {
                Flyway.configure(flyway.getConfiguration().getClassLoader())
                        .configuration(flyway.getConfiguration())
                        .target(last)
                        .load()
                        .migrate();
                stoppedAt = last;
            } else {
                flyway.migrate();
            }
        }
    }

    /** Only the database and its migrations: no web server, no jobs, no bootstrap admin. */
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
    static class Context {}
}
