-- The key-enumeration rule counts, every minute, the attempts with unknown keys of the last ten
-- minutes per address. Through the index on `at` alone that reads every row of those ten minutes
-- (hundreds of thousands under load) to find the few with these codes; this index holds only them.
-- (H2, the embedded small-install database, has no partial indexes and does without.)
CREATE INDEX ix_validation_log_unknown_key_attempts ON validation_log (at, ip)
    WHERE result_code IN ('LICENSE_NOT_FOUND', 'NOT_FOUND');
