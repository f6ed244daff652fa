-- V21: customers' consent per identity (channel + handle, as customer_identity has them, without a foreign key: an
-- import may name an address before its first message). One row an identity: opted_in false means nothing is sent to
-- it. since is when the current state began (the first STOP of a run); latest_at the time of the latest statement
-- recorded, the one a later statement must not be older than (last by time wins, whichever node records it). source
-- is KEYWORD, AGENT or IMPORT; reference the keyword message's id, the agent's name or the import's origin.
CREATE TABLE identity_consent (
    channel VARCHAR(64) NOT NULL,
    handle VARCHAR(255) NOT NULL,
    opted_in BOOLEAN NOT NULL,
    since ${timestamp} NOT NULL,
    latest_at ${timestamp} NOT NULL,
    source VARCHAR(16) NOT NULL,
    reference VARCHAR(255),
    reason VARCHAR(500),
    recorded_at ${timestamp} NOT NULL,
    PRIMARY KEY (channel, handle)
);
