-- V15: login accounts of the Karaf realm, replacing etc/users.properties, whose read-modify-write of one file loses
-- a user added by one admin while another adds theirs. Here each account is its own row: adding is one INSERT that
-- the unique name refuses the second time, and every change is one UPDATE that bumps version, so changes to different
-- accounts never touch each other. The hash is self-describing ($argon2id$v=19$m=...,t=...,p=...$salt$hash), so its
-- parameters can be raised later and old hashes recognised. Roles are a comma list.
CREATE TABLE login_account (
    name VARCHAR(64) NOT NULL PRIMARY KEY,
    password_hash VARCHAR(400) NOT NULL,
    roles VARCHAR(1000) NOT NULL,
    disabled BOOLEAN NOT NULL,
    created_at ${timestamp} NOT NULL,
    updated_at ${timestamp} NOT NULL,
    version BIGINT NOT NULL
);
