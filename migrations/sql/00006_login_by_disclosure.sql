-- Login by disclosure: a citizen who presents a PID at the authorization step receives every
-- open beschikking of their BSN. client_ref is a keyed hash (HMAC under a key derived from the
-- master key) of the client's BSN, so that beschikkingen can be found by BSN without keeping
-- the BSN. One authorization code and access token may then cover several beschikkingen.
-- Portable SQL for PostgreSQL and SQLite.

-- +goose Up
ALTER TABLE beschikkingen ADD COLUMN client_ref TEXT;
CREATE INDEX beschikkingen_client_ref_idx ON beschikkingen (tenant_id, client_ref);
ALTER TABLE oid4vci_codes ADD COLUMN beschikking_ids TEXT;
ALTER TABLE oid4vci_access_tokens ADD COLUMN beschikking_ids TEXT;

-- +goose Down
ALTER TABLE oid4vci_access_tokens DROP COLUMN beschikking_ids;
ALTER TABLE oid4vci_codes DROP COLUMN beschikking_ids;
DROP INDEX beschikkingen_client_ref_idx;
ALTER TABLE beschikkingen DROP COLUMN client_ref;
