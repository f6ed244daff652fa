-- V19: a customer's public message an admin hid on its network (docs/moderation.md). The message stays: these columns
-- only say who hid it, when the network confirmed it and why; all three are set together, or all are NULL while it is
-- shown. The audit trail keeps every hide and unhide, these hold the current one.
ALTER TABLE message ADD COLUMN hidden_at ${timestamp};
ALTER TABLE message ADD COLUMN hidden_by VARCHAR(100);
ALTER TABLE message ADD COLUMN hidden_reason VARCHAR(1000);
