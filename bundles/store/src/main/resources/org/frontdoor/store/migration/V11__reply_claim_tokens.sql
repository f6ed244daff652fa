-- Frontdoor schema, version 11: a reply's claim has a token of its own, so only its holder renews it or records the
-- outcome (a node whose claim ran out and was taken again is refused); and a reply written over REST may carry the
-- client's Idempotency-Key, unique per conversation and author, with a fingerprint of the request it came with.
ALTER TABLE reply ADD COLUMN claim_token VARCHAR(100);
ALTER TABLE reply ADD COLUMN idempotency_key VARCHAR(255);
ALTER TABLE reply ADD COLUMN idempotency_fingerprint VARCHAR(64);
CREATE UNIQUE INDEX uq_reply_idempotency ON reply (conversation_id, author, idempotency_key);
