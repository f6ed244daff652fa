-- V18: the rule that routed a conversation last, and its reason, on the conversation, for the why view
-- (GET /api/v1/conversations/{id}/why). The audit trail names the rule of every routing too, but as a sentence;
-- these columns are what the view reads. Conversations routed before V18 keep them empty: the view says so and
-- shows the audit trail.
ALTER TABLE conversation ADD COLUMN routed_rule VARCHAR(255);
ALTER TABLE conversation ADD COLUMN routed_reason VARCHAR(1000);
