-- Frontdoor schema, version 4: the durable event log and its consumers, claims for routing and reply delivery, the
-- identity and door-wide thread a conversation belongs to, annotations on messages, and reply visibility.

-- A conversation belongs to the identity that opened it (its customer follows the identity, so a merge can move it).
-- Until now every customer had exactly one identity, so the existing rows take that one.
ALTER TABLE conversation ADD COLUMN identity_id BIGINT;
UPDATE conversation SET identity_id = (SELECT MIN(i.id) FROM customer_identity i WHERE i.customer_id = conversation.customer_id);
ALTER TABLE conversation ALTER COLUMN identity_id SET NOT NULL;
-- What a message joins: the thread its reference names on its door, whoever writes in it, or without a reference its
-- author's conversation on the door. There is one conversation per key and door (a resolved one is reopened, never
-- doubled), so two writers or two nodes opening the same one at once collide on the key instead of splitting it.
-- Older rows of a thread that several customers shared keep their own key; the latest one takes the thread's.
ALTER TABLE conversation ADD COLUMN conversation_key VARCHAR(300);
UPDATE conversation SET conversation_key = CASE WHEN thread_ref IS NULL THEN 'identity:' || identity_id ELSE 'thread:' || thread_ref END;
UPDATE conversation SET conversation_key = conversation_key || '#' || id WHERE EXISTS (SELECT 1 FROM conversation newer WHERE newer.conversation_key = conversation.conversation_key AND newer.channel = conversation.channel AND newer.instance = conversation.instance AND newer.id > conversation.id);
ALTER TABLE conversation ALTER COLUMN conversation_key SET NOT NULL;
CREATE UNIQUE INDEX ux_conversation_key ON conversation (conversation_key, channel, instance);
DROP INDEX ix_conversation_customer;
CREATE INDEX ix_conversation_customer ON conversation (customer_id, last_activity_at);

-- agents are the realm's users, named, not rows of the agent table
ALTER TABLE conversation DROP COLUMN assigned_agent_id;
ALTER TABLE conversation ADD COLUMN assignee VARCHAR(100);
-- routing claims a conversation for a while (a pipeline that dies lets go when the claim runs out)
ALTER TABLE conversation ADD COLUMN route_claim VARCHAR(100);
ALTER TABLE conversation ADD COLUMN route_claim_until ${timestamp};
-- the last message the classifiers have seen
ALTER TABLE conversation ADD COLUMN classified_message_id BIGINT DEFAULT 0 NOT NULL;
-- the transaction that last reopened it (ingest learns in the same statement whether it reopened it)
ALTER TABLE conversation ADD COLUMN reopened_by BIGINT;

-- what the channel and the classifiers found about a message
CREATE TABLE message_annotation (
    message_id BIGINT NOT NULL,
    name VARCHAR(64) NOT NULL,
    annotation_value VARCHAR(255) NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    source VARCHAR(255) NOT NULL
);
CREATE INDEX ix_annotation_message ON message_annotation (message_id);

-- replies: public or private, and claimed by the delivery worker that sends them
ALTER TABLE reply ADD COLUMN visibility VARCHAR(16) DEFAULT 'PRIVATE' NOT NULL;
ALTER TABLE reply ADD COLUMN claim_owner VARCHAR(100);
ALTER TABLE reply ADD COLUMN claim_until ${timestamp};
DROP INDEX ix_reply_due;
CREATE INDEX ix_reply_door_due ON reply (channel, instance, status, next_attempt_at);

-- The event log. Positions come from one counter row that each transaction writing events takes last, just before it
-- commits: the row lock orders those transactions, so positions grow in commit order, with no gaps, on every node.
CREATE TABLE event_log_head (
    id INTEGER NOT NULL PRIMARY KEY,
    position BIGINT NOT NULL
);
INSERT INTO event_log_head (id, position) VALUES (1, 0);

CREATE TABLE conversation_event (
    position BIGINT NOT NULL PRIMARY KEY,
    event_type VARCHAR(32) NOT NULL,
    conversation_id BIGINT NOT NULL,
    channel VARCHAR(64) NOT NULL,
    instance VARCHAR(64) NOT NULL,
    department_id VARCHAR(64),
    item_id BIGINT NOT NULL,
    actor VARCHAR(100) NOT NULL,
    at ${timestamp} NOT NULL,
    detail VARCHAR(1000)
);
CREATE INDEX ix_event_at ON conversation_event (at);

-- each named consumer's position, and which node delivers to it until when
CREATE TABLE event_consumer (
    name VARCHAR(100) NOT NULL PRIMARY KEY,
    position BIGINT NOT NULL,
    owner VARCHAR(100),
    lease_until ${timestamp},
    last_error VARCHAR(1000),
    updated_at ${timestamp} NOT NULL
);
