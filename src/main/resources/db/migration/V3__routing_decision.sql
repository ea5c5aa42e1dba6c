-- What information governance decided for each message and each service that subscribes to it: queued for delivery,
-- withheld (consent, protection, restricted data) or held (no verified NHS number), with a reason code, a reason a
-- person can read, and what was removed or changed for that service (paths only, never values).
-- The NHS number is kept so that a consent directive recorded after routing can stop a delivery still queued.
CREATE TABLE routing_decision (
    message_id   VARCHAR(26)  NOT NULL,
    service_id   VARCHAR(63)  NOT NULL,
    nhs_number   VARCHAR(10),
    outcome      VARCHAR(16)  NOT NULL,
    reason_code  VARCHAR(40)  NOT NULL,
    reason       VARCHAR(1000) NOT NULL,
    changes      VARCHAR(4000),
    stage        VARCHAR(10)  NOT NULL,
    decided_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (message_id, service_id)
);
