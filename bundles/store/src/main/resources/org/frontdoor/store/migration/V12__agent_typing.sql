-- V12: events carry what integrations read off them as columns (below), and "an agent is typing" leaves the durable event log. It changes nothing, so it takes no position from the log's
-- counter row and is not kept for consumers that come back days later: one row per agent and conversation, the time
-- it was last said, read by every node's event consumers that ask for typing, forgotten after a minute.
CREATE TABLE agent_typing (
    conversation_id BIGINT NOT NULL,
    actor VARCHAR(100) NOT NULL,
    channel VARCHAR(64) NOT NULL,
    instance VARCHAR(64) NOT NULL,
    department_id VARCHAR(64),
    at ${timestamp} NOT NULL,
    PRIMARY KEY (conversation_id, actor)
);
CREATE INDEX ix_agent_typing_at ON agent_typing (at);

-- What an integration reads off an event, as columns rather than words in its detail: the department a transfer left,
-- and whether a routing routes a reopened conversation again. Events written before are filled from their detail.
ALTER TABLE conversation_event ADD COLUMN previous_department_id VARCHAR(64);
ALTER TABLE conversation_event ADD COLUMN reopened BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE conversation_event SET previous_department_id = SUBSTRING(detail, 6)
    WHERE event_type = 'TRANSFERRED' AND detail LIKE 'from %';
UPDATE conversation_event SET reopened = TRUE WHERE event_type = 'ROUTED' AND detail LIKE 'reopened; %';
CREATE INDEX ix_event_previous_department ON conversation_event (previous_department_id);
