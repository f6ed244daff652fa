-- V26: the latest phone call an agent placed from a callback task through a door (docs/departments.md). The three
-- columns are set together, or all NULL while no call was placed; the audit trail and the event log keep every call.
ALTER TABLE callback_task ADD COLUMN call_id VARCHAR(64);
ALTER TABLE callback_task ADD COLUMN called_by VARCHAR(100);
ALTER TABLE callback_task ADD COLUMN called_at ${timestamp};
