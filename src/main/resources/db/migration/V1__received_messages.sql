-- Messages intake has accepted, keyed by what a sender re-uses when it re-sends: MSH-3, MSH-4 and MSH-10.
-- Used to route a re-sent message once only. Holds no patient data.
-- key_hash (64 bits of SHA-256 of dedupe_key) is the primary key so that each insert maintains one compact index;
-- dedupe_key is kept to tell a true repeat from a hash collision.
CREATE TABLE received_message (
    key_hash     BIGINT       NOT NULL PRIMARY KEY,
    dedupe_key   VARCHAR(700) NOT NULL,
    message_id   VARCHAR(40)  NOT NULL,
    received_at  TIMESTAMP    NOT NULL
);
CREATE INDEX received_message_received_at ON received_message (received_at);

-- Each re-sent message that was ACKed but not routed again, and the original it repeated.
CREATE TABLE duplicate_message (
    message_id           VARCHAR(40)  NOT NULL PRIMARY KEY,
    original_message_id  VARCHAR(40)  NOT NULL,
    dedupe_key           VARCHAR(700) NOT NULL,
    received_at          TIMESTAMP    NOT NULL
);
