package dev.licensor.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Keeps the last offline token in a file of the vendor's choosing, and beside it ({@code
 * <file>.last-seen}) the latest time at which the token was checked, which {@link OfflineVerifier}
 * uses to notice a clock moved backwards. Both files are written atomically (a temporary file in
 * the same directory, then a move), so a crash never leaves a half-written token.
 */
public final class OfflineTokenStore {
    private final Path tokenFile;
    private final Path lastSeenFile;

    /**
     * A store using the given file.
     *
     * @param tokenFile where the token is kept, e.g. {@code ~/.myapp/license.jws}; its directory
     *     is created when needed
     */
    public OfflineTokenStore(Path tokenFile) {
        this.tokenFile = tokenFile.toAbsolutePath();
        this.lastSeenFile = this.tokenFile.resolveSibling(this.tokenFile.getFileName() + ".last-seen");
    }

    /**
     * The token file.
     *
     * @return the path
     */
    public Path tokenFile() {
        return tokenFile;
    }

    /**
     * The file with the last-seen time.
     *
     * @return the path
     */
    public Path lastSeenFile() {
        return lastSeenFile;
    }

    /**
     * Saves a token, replacing the previous one.
     *
     * @param token the compact JWS
     * @throws UncheckedIOException when it cannot be written
     */
    public void save(String token) {
        writeAtomically(tokenFile, token.strip());
    }

    /**
     * The saved token.
     *
     * @return the token, or empty when none was saved
     * @throws UncheckedIOException when the file exists but cannot be read
     */
    public Optional<String> load() {
        return read(tokenFile).filter(s -> !s.isBlank());
    }

    /**
     * The latest time a check saw.
     *
     * @return the time, or empty when none was recorded or the file is unreadable
     */
    public Optional<Instant> lastSeen() {
        try {
            return read(lastSeenFile).map(String::strip).map(Instant::parse);
        } catch (DateTimeParseException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /**
     * Records a time as seen, unless a later one is already recorded.
     *
     * @param now the time
     * @throws UncheckedIOException when it cannot be written
     */
    public void recordSeen(Instant now) {
        Optional<Instant> previous = lastSeen();
        if (previous.isEmpty() || now.isAfter(previous.get())) {
            writeAtomically(lastSeenFile, now.toString());
        }
    }

    /**
     * Deletes the token (e.g. after deactivating this device). The last-seen time is kept.
     *
     * @throws UncheckedIOException when it cannot be deleted
     */
    public void clear() {
        try {
            Files.deleteIfExists(tokenFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeAtomically(Path file, String content) {
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                restrictToOwner(temp);
                Files.writeString(temp, content, StandardCharsets.UTF_8);
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the user profile's ACLs apply.
        }
    }
}
