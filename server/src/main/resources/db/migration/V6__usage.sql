-- Usage metering (SPEC §2.2, POST /api/license/usage): per-license quotas per metric and period,
-- and the counters they are checked against. A metric without a quota is still counted (over the
-- license's lifetime) with no limit. The period is written from a Java enum (DAY, MONTH, TOTAL);
-- no string CHECK here, see V5.1 on H2.
CREATE TABLE usage_quotas (
    license_id  BIGINT      NOT NULL REFERENCES licenses (id) ON DELETE CASCADE,
    metric      VARCHAR(64) NOT NULL,
    quota_limit BIGINT      NOT NULL,
    period      VARCHAR(8)  NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (license_id, metric),
    CONSTRAINT ck_usage_quotas_limit CHECK (quota_limit >= 0)
);

-- One row per license, metric and period (period_start: the UTC day or month it counts, or
-- 1970-01-01 for a lifetime count).
CREATE TABLE usage_counters (
    license_id   BIGINT      NOT NULL REFERENCES licenses (id) ON DELETE CASCADE,
    metric       VARCHAR(64) NOT NULL,
    period_start TIMESTAMP WITH TIME ZONE NOT NULL,
    used         BIGINT      NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (license_id, metric, period_start)
);
