package dev.licensor.server.backup;

import java.time.Instant;
import java.util.Map;

/** What a restore did: the backup's origin, and the rows restored per table. */
public record RestoreSummary(
        Instant backupCreatedAt,
        String sourceDatabase,
        int schemaVersion,
        Map<String, Long> rows,
        String safetyBackup) {}
