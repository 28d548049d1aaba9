-- OpenID4VCI issuance of beschikkingen: the beschikking, one credential per toegewezen product,
-- what was issued (with its status list entry), and the short-lived protocol state (offers,
-- codes, access tokens, replay guards) that every replica must see.
-- Portable SQL for PostgreSQL and SQLite. Times in UTC.

-- +goose Up
CREATE TABLE beschikkingen (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants (id),
    beschikkingnummer TEXT NOT NULL,
    wet               TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('offered', 'issued', 'suspended', 'revoked', 'expired')),
    state_reason      TEXT,
    offer_expires_at  TIMESTAMP NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX beschikkingen_nummer_uq ON beschikkingen (tenant_id, beschikkingnummer);

-- One credential per toegewezen product. claims holds the credential's claims sealed under the
-- master key (they contain the BSN); it is erased once the credential has been issued.
CREATE TABLE beschikking_credentials (
    id               TEXT PRIMARY KEY,
    beschikking_id   TEXT NOT NULL REFERENCES beschikkingen (id),
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    configuration_id TEXT NOT NULL,
    toewijzingnummer BIGINT NOT NULL,
    aanbieder_agb    TEXT NOT NULL,
    claims           TEXT,
    not_before       TIMESTAMP NOT NULL,
    expires_at       TIMESTAMP NOT NULL,
    issued_at        TIMESTAMP
);
CREATE INDEX beschikking_credentials_beschikking_idx ON beschikking_credentials (beschikking_id);

-- Every credential handed out (a batch gives one per holder key), with its status list entry.
CREATE TABLE issued_credentials (
    id              TEXT PRIMARY KEY,
    credential_id   TEXT NOT NULL REFERENCES beschikking_credentials (id),
    status_list_id  TEXT NOT NULL,
    status_idx      INTEGER NOT NULL,
    holder_jkt      TEXT NOT NULL,
    notification_id TEXT NOT NULL,
    notified_event  TEXT,
    issued_at       TIMESTAMP NOT NULL
);
CREATE INDEX issued_credentials_credential_idx ON issued_credentials (credential_id);
CREATE INDEX issued_credentials_notification_idx ON issued_credentials (notification_id);

-- Credential offers by reference (the body names the pre-authorized code, so it lives only
-- as long as the offer).
CREATE TABLE oid4vci_offers (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    beschikking_id TEXT NOT NULL REFERENCES beschikkingen (id),
    body           TEXT NOT NULL,
    expires_at     TIMESTAMP NOT NULL
);

-- Pre-authorized codes, authorization codes and the pilot login codes a gemeente gives a
-- citizen, stored as SHA-256 hashes; single use.
CREATE TABLE oid4vci_codes (
    code_hash      TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('pre-authorized', 'authorization', 'login')),
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    beschikking_id TEXT NOT NULL REFERENCES beschikkingen (id),
    tx_code_hash   TEXT,
    tx_failures    INTEGER NOT NULL DEFAULT 0,
    code_challenge TEXT,
    redirect_uri   TEXT,
    client_id      TEXT,
    dpop_jkt       TEXT,
    expires_at     TIMESTAMP NOT NULL,
    used_at        TIMESTAMP
);

-- Access tokens (opaque, stored as hashes), optionally bound to a DPoP key.
CREATE TABLE oid4vci_access_tokens (
    token_hash     TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    beschikking_id TEXT NOT NULL REFERENCES beschikkingen (id),
    dpop_jkt       TEXT,
    expires_at     TIMESTAMP NOT NULL
);

-- Pushed authorization requests (RFC 9126).
CREATE TABLE oid4vci_par (
    request_uri TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    params      TEXT NOT NULL,
    failures    INTEGER NOT NULL DEFAULT 0,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP
);

-- Replay guard: a key seen before its expiry is a replay: spent c_nonces and DPoP proof jtis.
-- (Nonces themselves are stateless, MACed under a secret derived from the master key.)
CREATE TABLE replay_guard (
    key        TEXT PRIMARY KEY,
    expires_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE replay_guard;
DROP TABLE oid4vci_par;
DROP TABLE oid4vci_access_tokens;
DROP TABLE oid4vci_codes;
DROP TABLE oid4vci_offers;
DROP TABLE issued_credentials;
DROP TABLE beschikking_credentials;
DROP TABLE beschikkingen;
