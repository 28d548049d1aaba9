-- X.509 anchoring of tenant keys: the pilot CA and the certificates of tenant signing keys.
-- Portable SQL: the same file runs on PostgreSQL and SQLite. Times are stored in UTC.

-- +goose Up
-- The pilot CA (one row, id 'pilot'). certificate is PEM; key_ref is the key backend's handle:
-- for the local backend the PKCS#8 private key sealed with AES-256-GCM under a master key.
CREATE TABLE pki_cas (
    id          TEXT PRIMARY KEY,
    certificate TEXT NOT NULL,
    key_ref     TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

-- Certificate chains (PEM, leaf first, without the trust anchor) certifying one tenant key.
-- source: 'pilot-ca' (issued by the pilot CA) or 'import' (from a real CA).
CREATE TABLE tenant_certificates (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    kid        TEXT NOT NULL REFERENCES tenant_keys (kid),
    source     TEXT NOT NULL CHECK (source IN ('pilot-ca', 'import')),
    chain      TEXT NOT NULL,
    not_before TIMESTAMP NOT NULL,
    not_after  TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX tenant_certificates_key_idx ON tenant_certificates (tenant_id, kid, created_at);

-- +goose Down
DROP TABLE tenant_certificates;
DROP TABLE pki_cas;
