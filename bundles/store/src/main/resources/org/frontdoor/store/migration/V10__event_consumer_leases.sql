-- Frontdoor schema, version 10: fenced leases for event consumers, the events a consumer missed, and its filter.

-- Each takeover of a consumer (by another node, after a reset, or after the lease ran out) takes the next generation;
-- a delivery carries it (header FrontdoorLeaseGeneration), and a holder whose generation is no longer the row's may
-- neither renew nor move the consumer. lease_until is written from the database's clock, never a node's.
ALTER TABLE event_consumer ADD COLUMN generation BIGINT DEFAULT 0 NOT NULL;
-- events deleted by retention (past eventRetentionMaxHours) before the consumer had read them: missed, first to last
ALTER TABLE event_consumer ADD COLUMN gap_from BIGINT;
ALTER TABLE event_consumer ADD COLUMN gap_to BIGINT;
-- what the consumer's route selects (types as ids, comma separated; a department), so "behind" counts only those
ALTER TABLE event_consumer ADD COLUMN filter_types VARCHAR(1000);
ALTER TABLE event_consumer ADD COLUMN filter_department VARCHAR(64);
-- whether the consumer's route has been told of its gap (header FrontdoorEventsMissed on its next delivery)
ALTER TABLE event_consumer ADD COLUMN gap_told BOOLEAN DEFAULT FALSE NOT NULL;
