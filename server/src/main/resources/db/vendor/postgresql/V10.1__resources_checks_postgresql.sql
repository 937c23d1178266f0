-- The string checks of the resource pool, on PostgreSQL only (see V10 and V5.1).
ALTER TABLE resources ADD CONSTRAINT ck_resources_kind CHECK (kind IN ('DOMAIN', 'IPV4', 'PHONE'));
ALTER TABLE resources ADD CONSTRAINT ck_resources_status CHECK (status IN ('AVAILABLE', 'ALLOCATED', 'QUARANTINED'));
ALTER TABLE resources ADD CONSTRAINT ck_resources_allocated CHECK ((status = 'ALLOCATED') = (license_id IS NOT NULL));
ALTER TABLE resources ADD CONSTRAINT ck_resources_quarantined
    CHECK ((status = 'QUARANTINED') = (quarantined_until IS NOT NULL));
