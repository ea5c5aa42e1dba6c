-- The audit table kept two indexes that every append had to extend: event_id (unique, to recognise a batch the
-- broker redelivers) and message_key (for `audit trail`). One index on both does both jobs: an event always has the
-- same message, so (message_key, event_id) is unique exactly when event_id is, and message_key alone is its prefix.
-- Events about no message (configuration loaded, most person actions) take the key of their own event id, so every
-- new row has a key and takes part in the uniqueness (the engine writes it; see AuditStore#lookupKey).
-- Rows written before this migration keep their hashed message keys, which queries still find. A batch stored just
-- before a crash and redelivered after the upgrade would not be recognised by the new keys: upgrade after a clean
-- stop, which never leaves a stored batch unacknowledged.
ALTER TABLE audit_event DROP CONSTRAINT audit_event_event_id;
DROP INDEX audit_event_message_key;
CREATE UNIQUE INDEX audit_event_message_event ON audit_event (message_key, event_id);
