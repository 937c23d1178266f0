-- The validation-log list filtered by a key that no license has (attempts with unknown or mistyped
-- keys) matches rows by the key as sent. Without an index that is a scan of the whole log (50 ms at
-- 4 million rows, and the log keeps 90 days). Only those rows are indexed, so the index stays small
-- and the rows of known licenses (nearly all of them) cost no extra write.
-- (H2, the embedded small-install database, has no partial indexes and does without.)
CREATE INDEX ix_validation_log_unknown_key ON validation_log (license_key, at) WHERE license_id IS NULL;
