package dev.licensor.server.security;

import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.support.Db;
import dev.licensor.server.support.ServerSecret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * First start on an empty database: {@code LICENSOR_BOOTSTRAP_ADMIN_TOKEN} (if set) becomes an
 * ADMIN token, and user {@code admin} gets {@code LICENSOR_BOOTSTRAP_ADMIN_PASSWORD}, or a random
 * password that is logged once and written to {@code <data dir>/initial-admin-password}.
 */
@Component
class Bootstrap implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
    private static final String PASSWORD_FILE = "initial-admin-password";

    private final AdminTokens tokens;
    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final TransactionTemplate tx;
    private final AuditLog audit;
    private final SecureRandom random;
    private final Clock clock;
    private final String bootstrapToken;
    private final String bootstrapPassword;
    private final Path dataDir;

    Bootstrap(
            AdminTokens tokens,
            JdbcClient jdbc,
            PasswordEncoder passwords,
            TransactionTemplate tx,
            AuditLog audit,
            SecureRandom random,
            Clock clock,
            @Value("${LICENSOR_BOOTSTRAP_ADMIN_TOKEN:}") String bootstrapToken,
            @Value("${LICENSOR_BOOTSTRAP_ADMIN_PASSWORD:}") String bootstrapPassword,
            @Value("${licensor.data-dir}") String dataDir) {
        this.tokens = tokens;
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.tx = tx;
        this.audit = audit;
        this.random = random;
        this.clock = clock;
        this.bootstrapToken = bootstrapToken.strip();
        this.bootstrapPassword = bootstrapPassword;
        this.dataDir = Path.of(dataDir);
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!bootstrapToken.isEmpty()) {
            if (bootstrapToken.length() < 16) {
                throw new IllegalStateException("LICENSOR_BOOTSTRAP_ADMIN_TOKEN must be at least 16 characters");
            }
            if (Boolean.TRUE.equals(tx.execute(status -> tokens.createBootstrap(bootstrapToken)))) {
                log.info("Created the ADMIN token from LICENSOR_BOOTSTRAP_ADMIN_TOKEN.");
            }
        }
        createAdminUser();
    }

    private void createAdminUser() {
        long users =
                jdbc.sql("SELECT COUNT(*) FROM admin_users").query(Long.class).single();
        if (users > 0) {
            return;
        }
        boolean generated = bootstrapPassword.isEmpty();
        String password = generated ? randomPassword() : bootstrapPassword;
        try {
            tx.executeWithoutResult(status -> {
                jdbc.sql(
                                """
                                INSERT INTO admin_users (username, password_hash, role, created_at)
                                VALUES ('admin', ?, 'ADMIN', ?)""")
                        .params(passwords.encode(password), Db.ts(clock.instant()))
                        .update();
                audit.record(
                        Actor.SYSTEM, "admin_user.bootstrap", "admin_user", "admin", null, Map.of("role", "ADMIN"));
            });
        } catch (DuplicateKeyException e) {
            return; // another instance created it first
        }
        if (generated) {
            Path file = dataDir.resolve(PASSWORD_FILE);
            try {
                Files.createDirectories(dataDir);
                Files.writeString(
                        file, password + "\n", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
                ServerSecret.restrictToOwner(file);
            } catch (IOException e) {
                log.warn("could not write {}: {}", file, e.toString());
            }
            log.warn(
                    "Created admin user 'admin' with the generated password {} (also in {}). Change it after the first login.",
                    password,
                    file.toAbsolutePath());
        } else {
            log.info("Created admin user 'admin' with the password from LICENSOR_BOOTSTRAP_ADMIN_PASSWORD.");
        }
    }

    private String randomPassword() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
