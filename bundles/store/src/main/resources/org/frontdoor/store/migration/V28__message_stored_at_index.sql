-- V28: the supervisor's dashboard counts customer messages per door and hour over the last day (or week): an index on
-- when a message was stored keeps that a range read of the recent rows, not a scan of every message ever kept.
CREATE INDEX ix_message_stored_at ON message (stored_at);
