-- V9: proofs of identity kept server-side, counters for rate limits shared by every node, and customer merges that an
-- agent decides and can undo.
-- A challenge a door issued: the code it sent is kept only as a salted PBKDF2 hash; whoever holds the challenge's id
-- learns nothing about the code. attempts counts wrong codes; at max_attempts the challenge is locked.
CREATE TABLE identity_proof (
    id VARCHAR(32) NOT NULL PRIMARY KEY,
    known_channel VARCHAR(64) NOT NULL,
    known_handle VARCHAR(255) NOT NULL,
    address_channel VARCHAR(64) NOT NULL,
    address_handle VARCHAR(320) NOT NULL,
    code_hash VARCHAR(64) NOT NULL,
    salt VARCHAR(32) NOT NULL,
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    created_by VARCHAR(100) NOT NULL,
    created_at ${timestamp} NOT NULL,
    expires_at ${timestamp} NOT NULL,
    locked_at ${timestamp},
    proven_at ${timestamp}
);
CREATE INDEX ix_identity_proof_expires ON identity_proof (expires_at);

-- Uses of a limited thing (codes sent to one address, new visitors from one network address) per fixed window. The
-- bucket is a SHA-256 of what is limited, so no address is stored in clear here.
CREATE TABLE rate_count (
    bucket VARCHAR(64) NOT NULL,
    window_start BIGINT NOT NULL,
    uses INTEGER NOT NULL,
    expires_at ${timestamp} NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX ix_rate_count_expires ON rate_count (expires_at);

CREATE SEQUENCE customer_merge_seq START WITH 50 INCREMENT BY 50;
CREATE SEQUENCE merge_suggestion_seq START WITH 50 INCREMENT BY 50;

-- A merge an agent decided: every row it moved is in customer_merge_item with the customer it had, so unmerge puts
-- each one back.
CREATE TABLE customer_merge (
    id BIGINT NOT NULL PRIMARY KEY,
    from_customer BIGINT NOT NULL,
    into_customer BIGINT NOT NULL,
    reason VARCHAR(1000),
    merged_by VARCHAR(100) NOT NULL,
    merged_at ${timestamp} NOT NULL,
    unmerged_by VARCHAR(100),
    unmerged_at ${timestamp}
);
CREATE INDEX ix_customer_merge_from ON customer_merge (from_customer);
CREATE INDEX ix_customer_merge_into ON customer_merge (into_customer);

CREATE TABLE customer_merge_item (
    merge_id BIGINT NOT NULL,
    kind VARCHAR(16) NOT NULL,
    item_id BIGINT NOT NULL,
    previous_customer BIGINT NOT NULL,
    PRIMARY KEY (merge_id, kind, item_id)
);

-- Two customers that may be one person (a visitor proved an address another customer has): an agent decides.
CREATE TABLE merge_suggestion (
    id BIGINT NOT NULL PRIMARY KEY,
    from_customer BIGINT NOT NULL,
    into_customer BIGINT NOT NULL,
    reason VARCHAR(1000) NOT NULL,
    suggested_by VARCHAR(100) NOT NULL,
    suggested_at ${timestamp} NOT NULL,
    merge_id BIGINT
);
CREATE INDEX ix_merge_suggestion_pair ON merge_suggestion (from_customer, into_customer);

-- ingest reads an author's customer under a lock a merge conflicts with, by id
CREATE INDEX ix_message_identity ON message (identity_id);
CREATE INDEX ix_conversation_identity ON conversation (identity_id);
