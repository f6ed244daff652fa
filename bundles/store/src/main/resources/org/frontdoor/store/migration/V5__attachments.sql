-- V5: attachments. A message's attachments are rows of their own (what was sent: name, type, size), and their content
-- is kept once per content in blob_content, keyed by its SHA-256, shared by every node that shares the database.
-- An attachment its door refused (too large, a type it does not take) has a row without a blob_ref.
CREATE TABLE message_attachment (
    message_id BIGINT NOT NULL,
    ordinal INTEGER NOT NULL,
    file_name VARCHAR(255),
    media_type VARCHAR(255) NOT NULL,
    size_bytes BIGINT NOT NULL,
    blob_ref VARCHAR(80),
    PRIMARY KEY (message_id, ordinal)
);

CREATE TABLE blob_content (
    ref VARCHAR(80) NOT NULL PRIMARY KEY,
    size_bytes BIGINT NOT NULL,
    content ${binary} NOT NULL,
    stored_at ${timestamp} NOT NULL
);
