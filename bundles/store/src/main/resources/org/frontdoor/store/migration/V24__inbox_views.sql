-- V24: the inbox's views (GET /api/v1/conversations with its filters, and /conversations/counts). Status, department
-- and assignee have their indexes already (V1, V14); these serve the priority view in activity order, the
-- tag view (a classifier's name=value on a message, found from the annotation to its message), and the SLA state,
-- read from the timers that still count (RUNNING or DONE) per conversation and department.
-- No index for the door: on a new database without statistics PostgreSQL took one led by the channel (or holding
-- it) for ingest's lookup by (conversation_key, channel, instance) and read every conversation of the door
-- (IngestStoreTest reads about its own rows); the door view is served in activity order by ix_conversation_activity.
CREATE INDEX ix_conversation_priority ON conversation (priority, status, last_activity_at);
CREATE INDEX ix_annotation_tag ON message_annotation (name, annotation_value, message_id);
CREATE INDEX ix_sla_timer_view ON sla_timer (state, conversation_id, department_id, warn_at, due_at);
