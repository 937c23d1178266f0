-- H2 2.4 binds a CHECK constraint that compares strings to the session that created it (here,
-- Flyway's pooled connection). Once the pool retires that connection, every insert into the table
-- fails with "Check constraint invalid ... The database has been closed". So on H2 these checks
-- are dropped; PostgreSQL keeps them. The application only ever writes these columns from Java
-- enums, and numeric checks (limits, intervals) are unaffected and stay on both databases.
ALTER TABLE licenses DROP CONSTRAINT ck_licenses_status;
ALTER TABLE devices DROP CONSTRAINT ck_devices_status;
ALTER TABLE sessions DROP CONSTRAINT ck_sessions_end_reason;
ALTER TABLE signing_keys DROP CONSTRAINT ck_signing_keys_status;
ALTER TABLE anomalies DROP CONSTRAINT ck_anomalies_status;
