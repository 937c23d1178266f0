package dev.licensor.server.security;

import dev.licensor.protocol.ErrorCode;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.support.Db;
import dev.licensor.server.support.Hashes;
import dev.licensor.server.support.SecretBox;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.SafeStrings;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Panel users: passwords (bcrypt), the failed-login counter and lock, TOTP enrolment with one-time
 * recovery codes, and the administration of users by ADMINs. Every change is audited.
 */
@Service
public class AdminUsers {
    /** The shortest password accepted. */
    public static final int MIN_PASSWORD = 10;

    private static final Pattern USERNAME = Pattern.compile("[a-zA-Z0-9._@-]{2,100}");
    private static final int RECOVERY_CODES = 10;

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final SecretBox box;
    private final SecureRandom random;
    private final AuditLog audit;
    private final AdminProperties properties;
    private final Clock clock;

    AdminUsers(
            JdbcClient jdbc,
            PasswordEncoder passwords,
            SecretBox box,
            SecureRandom random,
            AuditLog audit,
            AdminProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.box = box;
        this.random = random;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /** A user as the panel lists them (never with secrets). */
    public record AdminUser(
            long id,
            String username,
            Role role,
            boolean totpEnabled,
            int failedLogins,
            @Nullable Instant lockedUntil,
            boolean enabled,
            @Nullable Instant lastLoginAt,
            Instant createdAt) {
        public boolean locked(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }
    }

    /** The stored row, secrets included; never leaves this package. */
    record Row(AdminUser user, String passwordHash, @Nullable String totpSecretEnc, @Nullable Long totpLastStep) {}

    /** The outcome of a password check. */
    public enum PasswordCheck {
        OK,
        WRONG,
        LOCKED,
        DISABLED
    }

    private static final String COLUMNS =
            "id, username, role, totp_secret_enc, totp_last_step, failed_logins, locked_until, enabled, last_login_at,"
                    + " created_at, password_hash";

    Optional<Row> row(String username) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM admin_users WHERE username = ?")
                .param(username)
                .query((rs, n) -> mapRow(rs))
                .optional();
    }

    Optional<Row> row(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM admin_users WHERE id = ?")
                .param(id)
                .query((rs, n) -> mapRow(rs))
                .optional();
    }

    private static Row mapRow(java.sql.ResultSet rs) throws java.sql.SQLException {
        AdminUser user = new AdminUser(
                rs.getLong("id"),
                rs.getString("username"),
                Role.valueOf(rs.getString("role")),
                rs.getString("totp_secret_enc") != null,
                rs.getInt("failed_logins"),
                Db.instant(rs, "locked_until"),
                rs.getBoolean("enabled"),
                Db.instant(rs, "last_login_at"),
                Db.instant(rs, "created_at"));
        return new Row(
                user, rs.getString("password_hash"), rs.getString("totp_secret_enc"), Db.bigint(rs, "totp_last_step"));
    }

    private volatile @Nullable String dummyHash;

    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            hash = passwords.encode("no such user");
            dummyHash = hash;
        }
        return hash;
    }

    /** The principal Spring Security keeps for the user. */
    PanelUser principal(Row row) {
        AdminUser u = row.user();
        return new PanelUser(
                u.id(), u.username(), u.role(), row.passwordHash(), u.enabled(), u.locked(clock.instant()));
    }

    /**
     * Checks a password; a wrong one counts towards the lock, which then lasts
     * {@code licensor.admin.lockout-minutes}. Runs in its own transaction so the count survives
     * the failed login.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public PasswordCheck checkPassword(String username, String password) {
        Optional<Row> found = row(username);
        if (found.isEmpty()) {
            // Spend the same time as for a real user, so timing does not reveal which names exist.
            passwords.matches(password, dummyHash());
            return PasswordCheck.WRONG;
        }
        Row row = found.get();
        Instant now = clock.instant();
        if (row.user().locked(now)) {
            return PasswordCheck.LOCKED;
        }
        if (!passwords.matches(password, row.passwordHash())) {
            return failure(row.user().id()) ? PasswordCheck.LOCKED : PasswordCheck.WRONG;
        }
        if (!row.user().enabled()) {
            return PasswordCheck.DISABLED;
        }
        return PasswordCheck.OK;
    }

    /** Counts a failed password or code; true when this failure locked the account. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public boolean failure(long userId) {
        Instant now = clock.instant();
        int failed = jdbc.sql("UPDATE admin_users SET failed_logins = failed_logins + 1 WHERE id = ?")
                                .param(userId)
                                .update()
                        > 0
                ? jdbc.sql("SELECT failed_logins FROM admin_users WHERE id = ?")
                        .param(userId)
                        .query(Integer.class)
                        .single()
                : 0;
        if (failed >= properties.maxLoginAttempts()) {
            Instant until = now.plus(Duration.ofMinutes(properties.lockoutMinutes()));
            jdbc.sql("UPDATE admin_users SET failed_logins = 0, locked_until = ? WHERE id = ?")
                    .params(Db.ts(until), userId)
                    .update();
            audit.record(Actor.SYSTEM, "admin_user.lock", "admin_user", userId, null, Map.of("locked_until", until));
            return true;
        }
        return false;
    }

    /** A complete login: the counter starts again. */
    @Transactional
    public void loggedIn(long userId) {
        jdbc.sql("UPDATE admin_users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?")
                .params(Db.ts(clock.instant()), userId)
                .update();
    }

    /**
     * Checks the second factor: a TOTP code (each time step accepted once) or an unused recovery
     * code, which is then spent.
     */
    @Transactional
    public boolean checkSecondFactor(long userId, String typed) {
        Row row = row(userId).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
        if (row.totpSecretEnc() == null) {
            return true;
        }
        String secret = box.decrypt(row.totpSecretEnc());
        OptionalLong step = Totp.match(secret, typed, clock.instant());
        if (step.isPresent()) {
            int updated = jdbc.sql(
                            """
                            UPDATE admin_users SET totp_last_step = ?
                            WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)""")
                    .params(step.getAsLong(), userId, step.getAsLong())
                    .update();
            return updated > 0;
        }
        String code = typed.strip().toUpperCase(Locale.ROOT).replace("-", "").replace(" ", "");
        if (code.length() != 10) {
            return false;
        }
        int spent = jdbc.sql(
                        """
                        UPDATE admin_recovery_codes SET used_at = ?
                        WHERE user_id = ? AND code_hash = ? AND used_at IS NULL""")
                .params(Db.ts(clock.instant()), userId, Hashes.sha256Hex(code))
                .update();
        if (spent > 0) {
            audit.record(
                    new Actor("user", userId, row.user().username(), row.user().role()),
                    "admin_user.recovery_code_used",
                    "admin_user",
                    userId,
                    null,
                    null);
        }
        return spent > 0;
    }

    public Optional<AdminUser> find(long id) {
        return row(id).map(Row::user);
    }

    public Optional<AdminUser> find(String username) {
        return row(username).map(Row::user);
    }

    public List<AdminUser> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM admin_users ORDER BY username")
                .query((rs, n) -> mapRow(rs).user())
                .list();
    }

    /** A fresh TOTP secret for the user to enrol (not stored until confirmed). */
    public String newTotpSecret() {
        return Totp.newSecret(random);
    }

    /**
     * Stores the TOTP secret when {@code code} proves the authenticator has it, and returns new
     * recovery codes (shown once, stored hashed); empty when the code is wrong.
     */
    @Transactional
    public Optional<List<String>> enrolTotp(long userId, String secret, String code) {
        OptionalLong step = Totp.match(secret, code, clock.instant());
        if (step.isEmpty()) {
            return Optional.empty();
        }
        jdbc.sql("UPDATE admin_users SET totp_secret_enc = ?, totp_last_step = ? WHERE id = ?")
                .params(box.encrypt(secret), step.getAsLong(), userId)
                .update();
        List<String> codes = newRecoveryCodes(userId);
        audit.record("admin_user.totp_enrol", "admin_user", userId, null, Map.of("recovery_codes", codes.size()));
        return Optional.of(codes);
    }

    /** Replaces the user's recovery codes with new ones, shown once. */
    @Transactional
    public List<String> regenerateRecoveryCodes(long userId) {
        List<String> codes = newRecoveryCodes(userId);
        audit.record("admin_user.recovery_codes", "admin_user", userId, null, Map.of("recovery_codes", codes.size()));
        return codes;
    }

    private List<String> newRecoveryCodes(long userId) {
        jdbc.sql("DELETE FROM admin_recovery_codes WHERE user_id = ?")
                .param(userId)
                .update();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String code = Totp.recoveryCode(random);
            codes.add(code);
            jdbc.sql("INSERT INTO admin_recovery_codes (user_id, code_hash) VALUES (?, ?)")
                    .params(userId, Hashes.sha256Hex(code.replace("-", "")))
                    .update();
        }
        return codes;
    }

    public long unusedRecoveryCodes(long userId) {
        return jdbc.sql("SELECT COUNT(*) FROM admin_recovery_codes WHERE user_id = ? AND used_at IS NULL")
                .param(userId)
                .query(Long.class)
                .single();
    }

    /** Removes TOTP (the user's own choice, or an ADMIN resetting a lost authenticator). */
    @Transactional
    public void disableTotp(long userId) {
        requireUser(userId);
        jdbc.sql("UPDATE admin_users SET totp_secret_enc = NULL, totp_last_step = NULL WHERE id = ?")
                .param(userId)
                .update();
        jdbc.sql("DELETE FROM admin_recovery_codes WHERE user_id = ?")
                .param(userId)
                .update();
        audit.record("admin_user.totp_disable", "admin_user", userId, null, null);
    }

    @Transactional
    public AdminUser create(String username, String password, Role role) {
        List<dev.licensor.server.web.Problems.FieldError> errors = new ArrayList<>();
        String name = username.strip();
        if (!USERNAME.matcher(name).matches()) {
            errors.add(
                    new dev.licensor.server.web.Problems.FieldError("username", "2 to 100 letters, digits or . _ @ -"));
        }
        passwordErrors(password, errors);
        if (!errors.isEmpty()) {
            throw JsonFields.invalid(errors);
        }
        try {
            jdbc.sql(
                            """
                            INSERT INTO admin_users (username, password_hash, role, created_at)
                            VALUES (?, ?, ?, ?)""")
                    .params(name, passwords.encode(password), role.name(), Db.ts(clock.instant()))
                    .update();
        } catch (DuplicateKeyException e) {
            throw JsonFields.invalid("username", "is already taken");
        }
        AdminUser created = find(name).orElseThrow();
        audit.record("admin_user.create", "admin_user", created.id(), null, created);
        return created;
    }

    @Transactional
    public void changeRole(long userId, Role role) {
        AdminUser before = requireUser(userId);
        if (before.role() == Role.ADMIN && role != Role.ADMIN) {
            requireAnotherAdmin(userId);
        }
        jdbc.sql("UPDATE admin_users SET role = ? WHERE id = ?")
                .params(role.name(), userId)
                .update();
        audit.record("admin_user.role", "admin_user", userId, Map.of("role", before.role()), Map.of("role", role));
    }

    /** Sets a new password and lifts a lock; "remember me" cookies signed over the old one stop working. */
    @Transactional
    public void setPassword(long userId, String password) {
        requireUser(userId);
        List<dev.licensor.server.web.Problems.FieldError> errors = new ArrayList<>();
        passwordErrors(password, errors);
        if (!errors.isEmpty()) {
            throw JsonFields.invalid(errors);
        }
        jdbc.sql("UPDATE admin_users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?")
                .params(passwords.encode(password), userId)
                .update();
        audit.record("admin_user.password", "admin_user", userId, null, null);
    }

    /** Changes one's own password after checking the current one. */
    @Transactional
    public boolean changeOwnPassword(long userId, String current, String password) {
        Row row = row(userId).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
        if (!passwords.matches(current, row.passwordHash())) {
            return false;
        }
        setPassword(userId, password);
        return true;
    }

    @Transactional
    public void setEnabled(long userId, boolean enabled) {
        AdminUser before = requireUser(userId);
        if (!enabled && before.role() == Role.ADMIN) {
            requireAnotherAdmin(userId);
        }
        jdbc.sql("UPDATE admin_users SET enabled = ? WHERE id = ?")
                .params(enabled, userId)
                .update();
        audit.record(
                "admin_user." + (enabled ? "enable" : "disable"),
                "admin_user",
                userId,
                Map.of("enabled", before.enabled()),
                Map.of("enabled", enabled));
    }

    /** Lifts a lock before its time. */
    @Transactional
    public void unlock(long userId) {
        requireUser(userId);
        jdbc.sql("UPDATE admin_users SET failed_logins = 0, locked_until = NULL WHERE id = ?")
                .param(userId)
                .update();
        audit.record("admin_user.unlock", "admin_user", userId, null, null);
    }

    private AdminUser requireUser(long userId) {
        return find(userId).orElseThrow(() -> ApiException.of(ErrorCode.NOT_FOUND));
    }

    /** The last enabled ADMIN cannot be demoted or disabled: nobody could administer the panel. */
    private void requireAnotherAdmin(long userId) {
        long others = jdbc.sql("SELECT COUNT(*) FROM admin_users WHERE role = 'ADMIN' AND enabled = TRUE AND id <> ?")
                .param(userId)
                .query(Long.class)
                .single();
        if (others == 0) {
            throw ApiException.of(ErrorCode.CONFLICT).detail("panel.users.last-admin");
        }
    }

    private static void passwordErrors(String password, List<dev.licensor.server.web.Problems.FieldError> errors) {
        if (password.length() < MIN_PASSWORD || password.length() > 200 || !SafeStrings.isSafe(password)) {
            errors.add(new dev.licensor.server.web.Problems.FieldError(
                    "password", "at least " + MIN_PASSWORD + " characters"));
        }
    }
}
