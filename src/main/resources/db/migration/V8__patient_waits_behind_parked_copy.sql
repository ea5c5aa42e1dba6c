-- Later messages waiting behind a parked one (a service with delivery.whenParked: hold-patient). Written for H2 and
-- PostgreSQL.
--
-- waiting_behind: the message id of the parked copy this copy waits behind (its status is then PARKED too); NULL for
-- every other copy, including the parked copy that holds the others back.
-- patient_group: the JMS group (JMSXGroupID) the copy travelled in, a one-way hash of the patient key; set when a copy
-- is parked, so the engine can rebuild, at start, which patients each service is holding back.
ALTER TABLE routing_decision ADD COLUMN waiting_behind VARCHAR(26);
ALTER TABLE routing_decision ADD COLUMN patient_group VARCHAR(40);
-- Replay asks which copies wait behind the one it sends again. Nearly every row holds NULL here, and those entries
-- follow the primary key's order, so the index grows at one place rather than anywhere.
CREATE INDEX routing_decision_waiting_behind ON routing_decision (waiting_behind);
