-- V23: the console's browser sessions, in the database so that every node behind a load balancer knows them and a
-- restarted node keeps them. The row holds the SHA-256 of the session id, never the id itself (a copy of this table
-- opens no session), who logged in with the roles they had then, and when the session was last used: a session idle
-- longer than the web bundle's sessionIdleMinutes is gone. A changed password or role deletes the user's rows.
CREATE TABLE browser_session (
    id_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    user_name VARCHAR(64) NOT NULL,
    roles VARCHAR(1000) NOT NULL,
    created_at ${timestamp} NOT NULL,
    last_used_at ${timestamp} NOT NULL
);
CREATE INDEX browser_session_user ON browser_session (user_name);
CREATE INDEX browser_session_last_used ON browser_session (last_used_at);
