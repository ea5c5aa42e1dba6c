-- The audit trail (issue 4): one row per hop of a message and per action by a person, each chained to the one before
-- it by a SHA-256 hash over its canonical form (org.ilinks.audit.AuditEvent#canonical), so `ilinks audit verify` can
-- find a record that was modified, inserted, removed or reordered. Written for both H2 and PostgreSQL.
-- Append-only for the engine: the code has no UPDATE or DELETE of audit_event, and nothing prunes it by default
-- (a trust that must prune does so by its own retention policy, outside the engine, and verifies first).
CREATE TABLE audit_event (
    seq            BIGINT        NOT NULL PRIMARY KEY,
    event_id       VARCHAR(26)   NOT NULL,
    type           VARCHAR(32)   NOT NULL,
    action         VARCHAR(1)    NOT NULL,
    outcome        INTEGER       NOT NULL,
    recorded_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    actor_type     VARCHAR(16)   NOT NULL,
    actor_id       VARCHAR(200)  NOT NULL,
    actor_address  VARCHAR(200),
    source         VARCHAR(200)  NOT NULL,
    nhs_number     VARCHAR(10),
    message_id     VARCHAR(40),
    service_id     VARCHAR(63),
    detail         VARCHAR(2000),
    -- 64-bit keys of message_id and nhs_number, for the look-ups by message and by patient: a number index costs
    -- far less to keep than a text one, for every row written. Queries compare the text too.
    message_key    BIGINT,
    patient_key    BIGINT,
    prev_hash      CHAR(64)      NOT NULL,
    hash           CHAR(64)      NOT NULL,
    -- A batch redelivered by the broker is recognised by its events' ids.
    CONSTRAINT audit_event_event_id UNIQUE (event_id)
);
-- `audit trail MESSAGE-ID` and `audit patient NHS-NUMBER`.
CREATE INDEX audit_event_message_key ON audit_event (message_key);
CREATE INDEX audit_event_patient_key ON audit_event (patient_key);

-- The head of the chain, one row. Each append locks it (SELECT ... FOR UPDATE) for its whole transaction, which
-- serialises writers, in one engine and across processes, so the chain never forks.
CREATE TABLE audit_chain (
    id         INTEGER   NOT NULL PRIMARY KEY,
    last_seq   BIGINT    NOT NULL,
    last_hash  CHAR(64)  NOT NULL,
    CONSTRAINT audit_chain_one_row CHECK (id = 1)
);
INSERT INTO audit_chain (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
