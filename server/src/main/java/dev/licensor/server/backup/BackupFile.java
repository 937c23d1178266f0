package dev.licensor.server.backup;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A backup file as the list shows it; {@code schemaVersion} is null for a file whose manifest cannot be read. */
public record BackupFile(String name, long size, Instant createdAt, @Nullable Integer schemaVersion) {}
