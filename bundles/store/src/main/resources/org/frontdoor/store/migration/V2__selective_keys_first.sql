-- Frontdoor schema, version 2: the unique keys that ingest looks up by the batch lead with their selective column.
-- Ingest asks "channel = ? AND instance = ? AND external_id IN (...)" and "channel = ? AND handle IN (...)". With the
-- door first, a planner without statistics for the table (a table that just grew, autovacuum late or off) may scan
-- every row of the door and filter the ids, so each batch costs more as the table grows. With the id first, any plan
-- that uses the index bounds it by the ids.

ALTER TABLE message DROP CONSTRAINT uq_message_external;
ALTER TABLE message ADD CONSTRAINT uq_message_external UNIQUE (external_id, channel, instance);

ALTER TABLE customer_identity DROP CONSTRAINT uq_identity_channel_handle;
ALTER TABLE customer_identity ADD CONSTRAINT uq_identity_handle_channel UNIQUE (handle, channel);
