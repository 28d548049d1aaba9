-- Organisations (tenants), their signing keys, API keys and the audit log.
-- Portable SQL: the same file runs on PostgreSQL and SQLite. Times are stored in UTC.

-- +goose Up
CREATE TABLE tenants (
    id           TEXT PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('gemeente', 'aanbieder', 'trust-anchor')),
    gemeentecode TEXT,
    agb          TEXT,
    kvk          TEXT,
    oin          TEXT,
    created_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX tenants_gemeentecode_uq ON tenants (gemeentecode) WHERE gemeentecode IS NOT NULL;
CREATE UNIQUE INDEX tenants_agb_uq ON tenants (agb) WHERE agb IS NOT NULL;
CREATE UNIQUE INDEX tenants_oin_uq ON tenants (oin) WHERE oin IS NOT NULL;

-- A tenant's signing keys. key_ref is the key backend's handle: for the local backend the
-- PKCS#8 private key sealed with AES-256-GCM under a master key (never the plain key).
CREATE TABLE tenant_keys (
    kid        TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    alg        TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    key_ref    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    removed_at TIMESTAMP
);
CREATE INDEX tenant_keys_tenant_idx ON tenant_keys (tenant_id, created_at);

-- API keys are stored only as a SHA-256 hash. tenant_id NULL marks an operator key.
CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT REFERENCES tenants (id),
    hash       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

-- Security decisions. Never holds personal data (no BSN, no names of citizens).
CREATE TABLE audit_events (
    id          TEXT PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    action      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    actor       TEXT NOT NULL,
    tenant_id   TEXT,
    subject     TEXT,
    reason      TEXT,
    request_id  TEXT,
    details     TEXT
);
CREATE INDEX audit_events_tenant_idx ON audit_events (tenant_id, occurred_at);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE api_keys;
DROP TABLE tenant_keys;
DROP TABLE tenants;
