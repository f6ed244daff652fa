-- V22: a door instance's own durable state (a feed's cursor, which of its posts belong to which conversation), so
-- every node and a reinstalled door find it. version grows by one each write: writes are compare-and-set on it.
CREATE TABLE door_state (
    channel VARCHAR(64) NOT NULL,
    instance VARCHAR(64) NOT NULL,
    state_key VARCHAR(200) NOT NULL,
    state_value VARCHAR(2000) NOT NULL,
    version BIGINT NOT NULL,
    updated_at ${timestamp} NOT NULL,
    PRIMARY KEY (channel, instance, state_key)
);
