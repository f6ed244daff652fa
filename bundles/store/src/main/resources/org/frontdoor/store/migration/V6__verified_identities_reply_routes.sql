-- V6: identities a customer proved to own (an e-mail address confirmed by a code), and replies sent through another
-- door than their conversation's (a web chat visitor who left continues by e-mail): the reply names its recipient.
ALTER TABLE customer_identity ADD COLUMN verified_at ${timestamp};
ALTER TABLE reply ADD COLUMN recipient_handle VARCHAR(255);
ALTER TABLE reply ADD COLUMN recipient_name VARCHAR(255);
