-- Frontdoor schema, version 1. ${text} and ${timestamp} are the dialect's large text and timestamp types (see Migrations).
-- Ids come from sequences that step by 50: EclipseLink takes each value as the last of a block of 50
-- preallocated ids, so the first value must be 50 too.

CREATE SEQUENCE customer_seq START WITH 50 INCREMENT BY 50;
CREATE SEQUENCE identity_seq START WITH 50 INCREMENT BY 50;
CREATE SEQUENCE conversation_seq START WITH 50 INCREMENT BY 50;
CREATE SEQUENCE message_seq START WITH 50 INCREMENT BY 50;
CREATE SEQUENCE reply_seq START WITH 50 INCREMENT BY 50;
CREATE SEQUENCE agent_seq START WITH 50 INCREMENT BY 50;
CREATE SEQUENCE audit_event_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE customer (
    id BIGINT NOT NULL PRIMARY KEY,
    display_name VARCHAR(255),
    created_at ${timestamp} NOT NULL
);

CREATE TABLE customer_identity (
    id BIGINT NOT NULL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customer (id),
    channel VARCHAR(64) NOT NULL,
    handle VARCHAR(255) NOT NULL,
    display_name VARCHAR(255),
    email VARCHAR(320),
    phone VARCHAR(32),
    reach BIGINT NOT NULL,
    created_at ${timestamp} NOT NULL,
    CONSTRAINT uq_identity_channel_handle UNIQUE (channel, handle)
);
CREATE INDEX ix_identity_customer ON customer_identity (customer_id);

CREATE TABLE department (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    created_at ${timestamp} NOT NULL
);

CREATE TABLE agent (
    id BIGINT NOT NULL PRIMARY KEY,
    username VARCHAR(100) NOT NULL,
    display_name VARCHAR(255),
    created_at ${timestamp} NOT NULL,
    CONSTRAINT uq_agent_username UNIQUE (username)
);

CREATE TABLE agent_department (
    agent_id BIGINT NOT NULL REFERENCES agent (id),
    department_id VARCHAR(64) NOT NULL REFERENCES department (id),
    PRIMARY KEY (agent_id, department_id)
);

CREATE TABLE conversation (
    id BIGINT NOT NULL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customer (id),
    channel VARCHAR(64) NOT NULL,
    instance VARCHAR(64) NOT NULL,
    thread_ref VARCHAR(255),
    status VARCHAR(16) NOT NULL,
    department_id VARCHAR(64) REFERENCES department (id),
    priority INTEGER NOT NULL,
    skill VARCHAR(64),
    assigned_agent_id BIGINT REFERENCES agent (id),
    message_count INTEGER NOT NULL,
    preview VARCHAR(200),
    created_at ${timestamp} NOT NULL,
    last_activity_at ${timestamp} NOT NULL,
    routed_at ${timestamp},
    version BIGINT NOT NULL
);
CREATE INDEX ix_conversation_activity ON conversation (last_activity_at, id);
CREATE INDEX ix_conversation_status ON conversation (status, last_activity_at);
CREATE INDEX ix_conversation_department ON conversation (department_id, status, last_activity_at);
CREATE INDEX ix_conversation_customer ON conversation (customer_id, channel, instance);

CREATE TABLE message (
    id BIGINT NOT NULL PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES conversation (id),
    customer_id BIGINT NOT NULL REFERENCES customer (id),
    identity_id BIGINT NOT NULL REFERENCES customer_identity (id),
    channel VARCHAR(64) NOT NULL,
    instance VARCHAR(64) NOT NULL,
    external_id VARCHAR(255) NOT NULL,
    direction VARCHAR(16) NOT NULL,
    visibility VARCHAR(16) NOT NULL,
    thread_ref VARCHAR(255),
    body ${text} NOT NULL,
    raw_payload ${text},
    received_at ${timestamp} NOT NULL,
    stored_at ${timestamp} NOT NULL,
    CONSTRAINT uq_message_external UNIQUE (channel, instance, external_id)
);
CREATE INDEX ix_message_conversation ON message (conversation_id, id);

CREATE TABLE reply (
    id BIGINT NOT NULL PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES conversation (id),
    channel VARCHAR(64) NOT NULL,
    instance VARCHAR(64) NOT NULL,
    body ${text} NOT NULL,
    author VARCHAR(100) NOT NULL,
    status VARCHAR(16) NOT NULL,
    attempts INTEGER NOT NULL,
    last_error VARCHAR(1000),
    created_at ${timestamp} NOT NULL,
    sent_at ${timestamp},
    next_attempt_at ${timestamp},
    in_reply_to_message_id BIGINT REFERENCES message (id),
    version BIGINT NOT NULL
);
CREATE INDEX ix_reply_due ON reply (status, channel, next_attempt_at);
CREATE INDEX ix_reply_conversation ON reply (conversation_id, id);

CREATE TABLE audit_event (
    id BIGINT NOT NULL PRIMARY KEY,
    at ${timestamp} NOT NULL,
    actor VARCHAR(100) NOT NULL,
    action VARCHAR(64) NOT NULL,
    subject_type VARCHAR(32) NOT NULL,
    subject_id BIGINT,
    detail VARCHAR(2000)
);
CREATE INDEX ix_audit_subject ON audit_event (subject_type, subject_id);
