-- H2 part of V2 (the embedded database): a plain heartbeat log, pruned by DELETE.

CREATE TABLE heartbeat_log (
    at         TIMESTAMP WITH TIME ZONE NOT NULL,
    license_id BIGINT NOT NULL,
    session_id BIGINT NOT NULL,
    device_id  BIGINT NOT NULL,
    ip         VARCHAR(64),
    version    VARCHAR(64)
);
CREATE INDEX ix_heartbeat_log_at ON heartbeat_log (at);
CREATE INDEX ix_heartbeat_log_license_at ON heartbeat_log (license_id, at);
