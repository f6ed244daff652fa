-- V25: indexes for the inbox's first page and its total (bench/RESULTS.md, ConsoleBench: EXPLAIN ANALYZE on 100,000
-- conversations). The page is ORDER BY last_activity_at DESC, id DESC and its total a COUNT over the same filter.
-- An agent's scope is its departments: with (department_id, last_activity_at, id) the page of a small department is
-- read in order from the index instead of filtering the whole activity index, and the total is an index-only scan.
CREATE INDEX ix_conversation_department_activity ON conversation (department_id, last_activity_at, id);
-- A status view (?status=), with or without a department: its total is an index-only scan, its page read in order.
CREATE INDEX ix_conversation_status_department ON conversation (status, department_id, last_activity_at, id);
