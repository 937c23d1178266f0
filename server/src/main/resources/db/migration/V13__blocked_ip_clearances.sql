-- When an administrator last removed a block of an address (SPEC §4/§5.5 blocked IPs "add/remove"):
-- the key-enumeration rule then counts only that address's attempts after the removal, so the
-- next anomaly scan does not block it again for the same attempts. Rows older than the rule's
-- window mean nothing and are purged by the scan.
CREATE TABLE blocked_ip_clearances (
    address    VARCHAR(64)              PRIMARY KEY,
    cleared_at TIMESTAMP WITH TIME ZONE NOT NULL
);
