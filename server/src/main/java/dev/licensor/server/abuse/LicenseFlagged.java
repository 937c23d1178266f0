package dev.licensor.server.abuse;

/**
 * Published inside the transaction that raised an anomaly and marked its license suspicious, so
 * features reporting on it (webhooks) record it in the same transaction.
 */
public record LicenseFlagged(long licenseId, String rule, String reason) {}
