package dev.licensor.server.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server secret ({@code LICENSOR_SECRET}). Every other secret is derived from it with an HMAC
 * and a purpose label, so the check characters of license keys and the encryption of secrets at
 * rest use unrelated keys. When the variable is absent a secret is generated into the data
 * directory on first start, with a warning: several instances must share one secret.
 */
public final class ServerSecret {
    private static final Logger log = LoggerFactory.getLogger(ServerSecret.class);
    private static final String FILE = "secret";

    private final byte[] master;

    private ServerSecret(byte[] master) {
        this.master = master;
    }

    /** The secret from the configured value, or from (or newly into) the data directory. */
    public static ServerSecret load(String configured, Path dataDir, SecureRandom random) {
        if (!configured.isBlank()) {
            if (configured.strip().length() < 32) {
                throw new IllegalStateException("LICENSOR_SECRET must be at least 32 characters");
            }
            return new ServerSecret(configured.strip().getBytes(StandardCharsets.UTF_8));
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return new ServerSecret(Files.readString(file).strip().getBytes(StandardCharsets.UTF_8));
            }
            Files.createDirectories(dataDir);
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.writeString(file, generated, StandardOpenOption.CREATE_NEW);
            restrictToOwner(file);
            log.warn(
                    "LICENSOR_SECRET is not set: generated one into {}. Back it up with the database, and set "
                            + "the same LICENSOR_SECRET on every instance when running several.",
                    file.toAbsolutePath());
            return new ServerSecret(generated.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the server secret in " + dataDir, e);
        }
    }

    /** A key for one purpose, derived from the master secret. */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes a file holding a secret readable by its owner only (a directory: usable by its owner
     * only), where the file system allows it.
     */
    public static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(
                    file, PosixFilePermissions.fromString(Files.isDirectory(file) ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            log.debug("could not restrict permissions of {}", file, e);
        }
    }
}
