-- V13: internal notes. An agent asks another department (by @name) without transferring the conversation; a note is
-- never sent to the customer and goes through no door, so it is a table of its own, not a reply the outbox could
-- claim. Its seq comes from the conversation's item counter, taken under the conversation's row lock as replies take
-- it, so notes sit in commit order among messages and replies. Mentions are a comma list of @names, at most 20.
CREATE SEQUENCE conversation_note_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE conversation_note (
    id BIGINT NOT NULL PRIMARY KEY,
    conversation_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    author VARCHAR(100) NOT NULL,
    body VARCHAR(4000) NOT NULL,
    mentions VARCHAR(2100) NOT NULL,
    created_at ${timestamp} NOT NULL
);
CREATE INDEX ix_conversation_note_conversation ON conversation_note (conversation_id, seq);
