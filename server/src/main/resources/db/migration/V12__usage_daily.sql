-- Daily usage statistics (SPEC §6): per license and UTC day, how many of its devices ran the
-- program and for how many session minutes. Written by the usage-statistics job from the sessions
-- table (docs/ADMIN-API.md, "Usage statistics", says exactly how); a day is recomputed whole, so
-- its rows are a pure function of the sessions. Licenses without use that day have no row. Runs
-- unchanged on PostgreSQL and on H2 in PostgreSQL mode (only numeric checks: see V5.1).
CREATE TABLE usage_daily (
    usage_day       DATE    NOT NULL,
    product_id      BIGINT  NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    license_id      BIGINT  NOT NULL REFERENCES licenses (id) ON DELETE CASCADE,
    active_devices  INTEGER NOT NULL,
    session_minutes BIGINT  NOT NULL,
    computed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (usage_day, license_id),
    CONSTRAINT ck_usage_daily_figures CHECK (active_devices >= 1 AND session_minutes >= 0)
);
-- A license's days, and a product's (also serves the FK cascades).
CREATE INDEX ix_usage_daily_license ON usage_daily (license_id, usage_day);
CREATE INDEX ix_usage_daily_product ON usage_daily (product_id, usage_day);

-- The days the job has computed, so a day without any use is told apart from a day never computed
-- (the back-fill computes only the latter).
CREATE TABLE usage_daily_computed (
    usage_day   DATE    NOT NULL PRIMARY KEY,
    licenses    INTEGER NOT NULL,
    computed_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Held FOR UPDATE while a day is computed, so two computations of one day (the scheduled job on
-- one instance, a start-up catch-up on another) follow each other instead of colliding.
INSERT INTO trust_locks (name, locked_until) VALUES ('usage-stats', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
