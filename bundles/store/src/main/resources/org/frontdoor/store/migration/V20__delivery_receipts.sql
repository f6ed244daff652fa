-- V20: delivery receipts (docs/events.md, docs/channels/meta.md, docs/channels/sms.md). A sent reply keeps the id its
-- door's vendor gave it (unique per door instance) and the delivery state the vendor last reported, with its time and,
-- when not delivered, the vendor's reason. A receipt is first written to delivery_receipt, once per id and state (a
-- duplicate is a no-op), then applied to the reply carrying that id and deleted; one whose id no reply carries yet
-- waits there until the send is recorded.
ALTER TABLE reply ADD COLUMN vendor_id VARCHAR(255);
ALTER TABLE reply ADD COLUMN delivery_state VARCHAR(16);
ALTER TABLE reply ADD COLUMN delivery_at ${timestamp};
ALTER TABLE reply ADD COLUMN delivery_reason VARCHAR(1000);
CREATE UNIQUE INDEX uq_reply_vendor_id ON reply (channel, instance, vendor_id);
CREATE TABLE delivery_receipt (
    channel VARCHAR(64) NOT NULL,
    instance VARCHAR(64) NOT NULL,
    vendor_id VARCHAR(255) NOT NULL,
    state VARCHAR(16) NOT NULL,
    at ${timestamp} NOT NULL,
    reason VARCHAR(1000),
    received_at ${timestamp} NOT NULL,
    PRIMARY KEY (channel, instance, vendor_id, state)
);
CREATE INDEX ix_delivery_receipt_received ON delivery_receipt (received_at);
