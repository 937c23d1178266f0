-- What the anomaly scan (SPEC §5.5) keeps between its rounds, so that a round reads the validation
-- log's newest rows rather than its whole 24-hour window, whose size grows with the traffic: per
-- license, the addresses and the hardware hashes seen, each with when it was last seen, and the
-- verifications and failed ones per minute. Derived from the validation log and rebuilt from it
-- when missing (the first round after this migration or a restore), so backups leave them out.
-- No foreign keys: the log keeps the ids of deleted licenses, and the rules join the licenses.
CREATE TABLE anomaly_license_ips (
    license_id BIGINT                   NOT NULL,
    ip         VARCHAR(64)              NOT NULL,
    last_seen  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (license_id, ip)
);
CREATE INDEX ix_anomaly_license_ips_seen ON anomaly_license_ips (last_seen);

CREATE TABLE anomaly_license_devices (
    license_id    BIGINT                   NOT NULL,
    hardware_hash VARCHAR(256)             NOT NULL,
    last_seen     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (license_id, hardware_hash)
);
CREATE INDEX ix_anomaly_license_devices_seen ON anomaly_license_devices (last_seen);

-- at_minute: whole minutes since 1970-01-01T00:00Z of the verifications counted in the row.
CREATE TABLE anomaly_verify_minutes (
    license_id    BIGINT  NOT NULL,
    at_minute     BIGINT  NOT NULL,
    verifications INTEGER NOT NULL,
    failed        INTEGER NOT NULL,
    PRIMARY KEY (license_id, at_minute)
);
CREATE INDEX ix_anomaly_verify_minutes_minute ON anomaly_verify_minutes (at_minute);

-- How far the tables above are: the highest validation-log id seen, when, and for which window
-- (NULLs mean "rebuild on the next round"); and late_from, the oldest time of rows the validation
-- log wrote late (queued for a while, or retried after a failure) since the last round, which the
-- next round then reads from.
CREATE TABLE anomaly_scan_state (
    name         VARCHAR(32)              PRIMARY KEY,
    seen_id      BIGINT,
    scanned_at   TIMESTAMP WITH TIME ZONE,
    window_hours INTEGER,
    late_from    TIMESTAMP WITH TIME ZONE
);
INSERT INTO anomaly_scan_state (name) VALUES ('validation-log');
