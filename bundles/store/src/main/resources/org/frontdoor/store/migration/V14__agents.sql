-- V14: agents in the database, keyed by their login name (the JAAS realm stays the one login; this is who works
-- where). V1's agent and agent_department tables were never used (V4 made assignees names): they are replaced.
-- Membership, skills and languages are join tables, so a query can match on them and a change is a row, not a list.
DROP TABLE agent_department;
DROP TABLE agent;
DROP SEQUENCE agent_seq;

CREATE TABLE agent (
    name VARCHAR(100) NOT NULL PRIMARY KEY,
    display_name VARCHAR(255) NOT NULL,
    capacity INTEGER NOT NULL,
    presence VARCHAR(16) NOT NULL,
    presence_at ${timestamp} NOT NULL,
    version BIGINT NOT NULL,
    created_at ${timestamp} NOT NULL,
    updated_at ${timestamp} NOT NULL
);

-- the departments an agent works in; last_assigned_at is round robin's memory: the next conversation goes to the
-- member given one longest ago (never: first), so the rotation holds across restarts and nodes
CREATE TABLE agent_department (
    agent_name VARCHAR(100) NOT NULL REFERENCES agent (name) ON DELETE CASCADE,
    department_id VARCHAR(64) NOT NULL,
    last_assigned_at ${timestamp},
    PRIMARY KEY (agent_name, department_id)
);
CREATE INDEX ix_agent_department_department ON agent_department (department_id, agent_name);

CREATE TABLE agent_skill (
    agent_name VARCHAR(100) NOT NULL REFERENCES agent (name) ON DELETE CASCADE,
    skill VARCHAR(64) NOT NULL,
    PRIMARY KEY (agent_name, skill)
);

-- languages as the classifier names them (ISO 639-1, lower case)
CREATE TABLE agent_language (
    agent_name VARCHAR(100) NOT NULL REFERENCES agent (name) ON DELETE CASCADE,
    language VARCHAR(16) NOT NULL,
    PRIMARY KEY (agent_name, language)
);

-- when a conversation was given to its assignee (an answer after it counts as answered), and snooze: a SNOOZED
-- conversation is out of the active queue until snoozed_until, or until its customer writes after snoozed_at
ALTER TABLE conversation ADD COLUMN assigned_at ${timestamp};
ALTER TABLE conversation ADD COLUMN snoozed_until ${timestamp};
ALTER TABLE conversation ADD COLUMN snoozed_at ${timestamp};
CREATE INDEX ix_conversation_assignee ON conversation (assignee, status);
CREATE INDEX ix_conversation_snoozed ON conversation (status, snoozed_until);
