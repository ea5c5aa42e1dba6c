-- Message history (issue 5): what became of every message, built on routing_decision (V3) rather than beside it.
-- Written for both H2 and PostgreSQL.

-- One row per message routing took off the intake queue: its MSH facts (no patient data), how routing ended, and
-- its original content as received, kept for ilinks.history.content-retention-days and then removed (content set to
-- NULL, content_removed_at set), unless the message is unresolved. The row itself is kept, like the audit trail.
-- content is AES-256-GCM (12-byte random nonce, then ciphertext and tag, the message id as associated data) when
-- content_key names the key it was encrypted with; plain bytes when content_key is NULL.
CREATE TABLE message_record (
    message_id           VARCHAR(26)   NOT NULL PRIMARY KEY,
    received_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    routed_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    message_type         VARCHAR(16)   NOT NULL,
    trigger_event        VARCHAR(16)   NOT NULL,
    sending_application  VARCHAR(100)  NOT NULL,
    sending_facility     VARCHAR(100)  NOT NULL,
    control_id           VARCHAR(100)  NOT NULL,
    hl7_version          VARCHAR(16)   NOT NULL,
    -- ROUTED (one or more services subscribe: see routing_decision), NO_SUBSCRIBER, or PARKED (governance could not
    -- be applied; the message is on ilinks.intake.parked)
    routing              VARCHAR(16)   NOT NULL,
    routing_reason       VARCHAR(300),
    content_size         INTEGER       NOT NULL,
    content              BYTEA,
    content_key          VARCHAR(16),
    content_removed_at   TIMESTAMP WITH TIME ZONE
);
-- No index on received_at: message ids begin with the time intake accepted the message, so listing newest first, time
-- ranges and retention's search go by the primary key (one index less to keep for every message).

-- Per message and service, what has happened since governance decided: the decision itself (outcome, reason) stays
-- as V3 wrote it; status follows the copy through delivery. Statuses: QUEUED, WITHHELD, HELD, FAILED (the last
-- attempt failed, still retrying), DELIVERED, PARKED, REPLAYED; UNTRACKED for decisions recorded before this
-- migration (what became of them is in the audit trail).
ALTER TABLE routing_decision ADD COLUMN status VARCHAR(16);
UPDATE routing_decision SET status = CASE outcome WHEN 'SEND' THEN 'UNTRACKED' ELSE outcome END;
ALTER TABLE routing_decision ALTER COLUMN status SET NOT NULL;
ALTER TABLE routing_decision ADD COLUMN attempts INTEGER DEFAULT 0 NOT NULL;
-- Why the last attempt failed, in the engine's own words and the exception's class: never message content.
ALTER TABLE routing_decision ADD COLUMN last_error VARCHAR(300);
ALTER TABLE routing_decision ADD COLUMN last_attempt_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE routing_decision ADD COLUMN delivered_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE routing_decision ADD COLUMN status_at TIMESTAMP WITH TIME ZONE;
