-- The string checks of the leads, on PostgreSQL only (see V11 and V5.1).
ALTER TABLE lead_institutions ADD CONSTRAINT ck_lead_institutions_status
    CHECK (status IN ('NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST'));
ALTER TABLE lead_activities ADD CONSTRAINT ck_lead_activities_kind
    CHECK (kind IN ('CALL', 'EMAIL', 'MEETING', 'OTHER'));
ALTER TABLE lead_tags ADD CONSTRAINT ck_lead_tags_normalized
    CHECK (tag = LOWER(BTRIM(tag)) AND LENGTH(tag) BETWEEN 1 AND 40);
