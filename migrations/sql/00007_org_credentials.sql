-- Organisation credentials (W3C VC as JWT): OrganisatieRol from a trust anchor to an
-- organisation's DID, Zorgtoewijzing from a gemeente to an aanbieder's DID. Each has an entry in
-- its issuer's W3C Bitstring Status List (revocation), built from these rows when served. The
-- credential itself holds no personal data (the client is a per-aanbieder pseudonym).
-- org_wallet_credentials is the organisation wallet of tenants on this instance; declaraties
-- are the accepted declaratie lines a gemeente can list.
-- Portable SQL for PostgreSQL and SQLite. Times in UTC; dates as YYYY-MM-DD text.

-- +goose Up
CREATE TABLE org_credentials (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    type             TEXT NOT NULL CHECK (type IN ('OrganisatieRol', 'Zorgtoewijzing')),
    subject_did      TEXT NOT NULL,
    beschikking_id   TEXT REFERENCES beschikkingen (id),
    toewijzingnummer BIGINT,
    status_list      TEXT NOT NULL,
    status_idx       INTEGER NOT NULL,
    revoked_at       TIMESTAMP,
    revoke_reason    TEXT,
    valid_from       TIMESTAMP NOT NULL,
    valid_until      TIMESTAMP,
    credential       TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX org_credentials_status_uq ON org_credentials (tenant_id, status_list, status_idx);
CREATE INDEX org_credentials_beschikking_idx ON org_credentials (beschikking_id);
CREATE INDEX org_credentials_subject_idx ON org_credentials (tenant_id, subject_did);

CREATE TABLE org_wallet_credentials (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    credential_id TEXT NOT NULL,
    type          TEXT NOT NULL,
    issuer        TEXT NOT NULL,
    credential    TEXT NOT NULL,
    received_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX org_wallet_credentials_uq ON org_wallet_credentials (tenant_id, credential_id);

CREATE TABLE declaraties (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants (id),
    aanbieder_did     TEXT NOT NULL,
    toewijzingnummer  BIGINT NOT NULL,
    productcategorie  TEXT NOT NULL,
    productcode       TEXT NOT NULL,
    begindatum        TEXT NOT NULL,
    einddatum         TEXT NOT NULL,
    geleverd_volume   BIGINT NOT NULL,
    eenheid           TEXT NOT NULL,
    bedrag            BIGINT NOT NULL,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX declaraties_toewijzing_idx ON declaraties (tenant_id, toewijzingnummer);

-- +goose Down
DROP TABLE declaraties;
DROP TABLE org_wallet_credentials;
DROP TABLE org_credentials;
