-- V12: "an agent is typing" leaves the durable event log. It changes nothing, so it takes no position from the log's
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
