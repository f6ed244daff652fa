-- V8: commit order. Ids come from sequence blocks each node caches, so across nodes a later row can get a smaller id.
-- A conversation's messages and replies are numbered by a counter on the conversation (item_seq), taken under the
-- conversation's row lock in the transaction that writes them: within a conversation, seq follows commit order. The
-- classifiers' watermark is a seq of the conversation (classified_seq), no longer a message id.
ALTER TABLE conversation ADD COLUMN item_seq BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE conversation ADD COLUMN classified_seq BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE message ADD COLUMN seq BIGINT;
ALTER TABLE reply ADD COLUMN seq BIGINT;
-- rows written before: numbered per conversation by when they were stored, then by id
CREATE TABLE commit_order_backfill AS SELECT u.kind, u.id, ROW_NUMBER() OVER (PARTITION BY u.conversation_id
    ORDER BY u.at, u.kind, u.id) AS seq FROM (SELECT conversation_id, 0 AS kind, id, stored_at AS at FROM message
    UNION ALL SELECT conversation_id, 1 AS kind, id, created_at AS at FROM reply) u;
CREATE UNIQUE INDEX ux_commit_order_backfill ON commit_order_backfill (kind, id);
UPDATE message SET seq = (SELECT b.seq FROM commit_order_backfill b WHERE b.kind = 0 AND b.id = message.id);
UPDATE reply SET seq = (SELECT b.seq FROM commit_order_backfill b WHERE b.kind = 1 AND b.id = reply.id);
DROP TABLE commit_order_backfill;
ALTER TABLE message ALTER COLUMN seq SET NOT NULL;
ALTER TABLE reply ALTER COLUMN seq SET NOT NULL;
UPDATE conversation SET item_seq = GREATEST(COALESCE((SELECT MAX(m.seq) FROM message m
    WHERE m.conversation_id = conversation.id), 0), COALESCE((SELECT MAX(r.seq) FROM reply r
    WHERE r.conversation_id = conversation.id), 0));
UPDATE conversation SET classified_seq = COALESCE((SELECT MAX(m.seq) FROM message m
    WHERE m.conversation_id = conversation.id AND m.id <= conversation.classified_message_id), 0);
CREATE UNIQUE INDEX ux_message_conversation_seq ON message (conversation_id, seq);
CREATE UNIQUE INDEX ux_reply_conversation_seq ON reply (conversation_id, seq);
