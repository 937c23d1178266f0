-- PostgreSQL part of V2.

-- Live sessions of a license: the only index the session-start decision needs, and small, as it
-- holds live sessions only. Room left on every page keeps heartbeat updates HOT.
CREATE INDEX ix_sessions_live ON sessions (license_id) WHERE ended_at IS NULL;
ALTER TABLE sessions SET (fillfactor = 70);

-- The heartbeat log, partitioned by month (UTC). Partitions are created ahead by the log
-- maintenance job (and here for the first months); partitions older than the retention are
-- dropped whole.
CREATE TABLE heartbeat_log (
    at         TIMESTAMP WITH TIME ZONE NOT NULL,
    license_id BIGINT NOT NULL,
    session_id BIGINT NOT NULL,
    device_id  BIGINT NOT NULL,
    ip         VARCHAR(64),
    version    VARCHAR(64)
) PARTITION BY RANGE (at);
CREATE INDEX ix_heartbeat_log_license_at ON heartbeat_log (license_id, at);

DO $$
DECLARE
    first_month DATE := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    m DATE;
BEGIN
    FOR i IN 0..2 LOOP
        m := (first_month + make_interval(months => i))::date;
        EXECUTE format(
            'CREATE TABLE IF NOT EXISTS %I PARTITION OF heartbeat_log FOR VALUES FROM (%L) TO (%L)',
            'heartbeat_log_' || to_char(m, 'YYYY_MM'),
            m::text || ' 00:00:00+00',
            (m + make_interval(months => 1))::date::text || ' 00:00:00+00');
    END LOOP;
END
$$;
