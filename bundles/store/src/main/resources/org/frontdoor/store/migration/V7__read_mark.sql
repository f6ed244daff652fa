-- V7: how far agents have read a conversation: the latest customer message an agent marked read (null: none yet).
ALTER TABLE conversation ADD COLUMN read_up_to BIGINT;
