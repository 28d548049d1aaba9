-- Delivery of credential offers to an organisation's credential offer endpoint (a
-- zorgtoewijzing for an aanbieder on another instance): the offer row says where it goes and
-- how delivery stands, so that a delivery that failed is retried with backoff until it
-- succeeds or the offer expires, by whichever replica claims it first (delivery_attempts is
-- the claim's version). deliver_to is the holder's DID; next_delivery_at is NULL once the
-- offer is delivered or given up. A beschikking's GET shows how its zorgtoewijzing offer's
-- delivery stands (the offer found by its beschikking record).
-- Portable SQL for PostgreSQL and SQLite.

-- +goose Up
ALTER TABLE oid4vci_offers ADD COLUMN deliver_to TEXT;
ALTER TABLE oid4vci_offers ADD COLUMN delivery_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE oid4vci_offers ADD COLUMN next_delivery_at TIMESTAMP;
ALTER TABLE oid4vci_offers ADD COLUMN delivered_at TIMESTAMP;
ALTER TABLE oid4vci_offers ADD COLUMN delivery_error TEXT;
CREATE INDEX oid4vci_offers_delivery_idx ON oid4vci_offers (next_delivery_at);
CREATE INDEX oid4vci_offers_beschikking_idx ON oid4vci_offers (beschikking_id);

-- +goose Down
DROP INDEX oid4vci_offers_beschikking_idx;
DROP INDEX oid4vci_offers_delivery_idx;
ALTER TABLE oid4vci_offers DROP COLUMN delivery_error;
ALTER TABLE oid4vci_offers DROP COLUMN delivered_at;
ALTER TABLE oid4vci_offers DROP COLUMN next_delivery_at;
ALTER TABLE oid4vci_offers DROP COLUMN delivery_attempts;
ALTER TABLE oid4vci_offers DROP COLUMN deliver_to;
