-- OpenID4VP 1.0 presentation requests of verifier tenants: one row per request, from creation
-- (pending) through the wallet fetching its request object (retrieved) to the verified or
-- rejected response. The result holds disclosed claims and is sealed under the master key;
-- evidence (the raw vp_token) is kept only when the tenant chose a retention period.
-- Portable SQL for PostgreSQL and SQLite. Times in UTC.

-- +goose Up
CREATE TABLE presentation_requests (
    id                  TEXT PRIMARY KEY,
    tenant_id           TEXT NOT NULL REFERENCES tenants (id),
    state               TEXT NOT NULL CHECK (state IN ('pending', 'retrieved', 'verified', 'rejected')),
    purpose             TEXT NOT NULL,
    query_name          TEXT,
    dcql_query          TEXT NOT NULL,
    client_id           TEXT NOT NULL,
    response_mode       TEXT NOT NULL,
    request_uri_method  TEXT NOT NULL,
    nonce               TEXT NOT NULL,
    state_param         TEXT NOT NULL,
    -- direct_post.jwt: the ephemeral P-256 key the response is encrypted to, sealed.
    enc_key             TEXT,
    enc_kid             TEXT,
    -- hash of the same-device response_code (OpenID4VP 1.0 §8.2), once a response came.
    response_code_hash  TEXT,
    policy_decision     TEXT NOT NULL,
    webhook_url         TEXT,
    -- login by disclosure: where the wallet's browser goes after the response (the issuer's
    -- authorization step), instead of the verify page.
    return_to           TEXT,
    reason              TEXT,
    result              TEXT,
    evidence            TEXT,
    evidence_expires_at TIMESTAMP,
    expires_at          TIMESTAMP NOT NULL,
    retrieved_at        TIMESTAMP,
    completed_at        TIMESTAMP,
    created_at          TIMESTAMP NOT NULL
);
CREATE INDEX presentation_requests_tenant_idx ON presentation_requests (tenant_id, created_at);
CREATE INDEX presentation_requests_expires_idx ON presentation_requests (expires_at);

-- A verifier tenant's choices. evidence_retention_seconds: how long the raw presentation of a
-- verified result is kept as evidence for the tenant's own audit; 0 (the default, and no row):
-- not kept.
CREATE TABLE verifier_settings (
    tenant_id                  TEXT PRIMARY KEY REFERENCES tenants (id),
    evidence_retention_seconds BIGINT NOT NULL DEFAULT 0,
    updated_at                 TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE verifier_settings;
DROP TABLE presentation_requests;
