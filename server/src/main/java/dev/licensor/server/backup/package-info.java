/**
 * Backups (SPEC §7): a database-neutral ZIP of every application table, made on demand and by a
 * daily job, kept a number of days; listed, downloaded and restored from the panel, the admin API
 * and the command line, into H2 or PostgreSQL.
 */
@NullMarked
package dev.licensor.server.backup;

import org.jspecify.annotations.NullMarked;
