package org.ilinks.audit;

/**
 * Fits an event to the audit_event columns before it is hashed, so that the hash is always of what the database
 * keeps and reads back. A value longer than its column is cut (never split inside a character); refusing it instead
 * would stop the writer on one over-long reason and hold up every event behind it.
 */
final class StoredForm {

    static final int EVENT_ID = 26;
    static final int ACTOR_TYPE = 16;
    static final int ACTOR = 200;
    static final int SOURCE = 200;
    static final int NHS_NUMBER = 10;
    static final int MESSAGE_ID = 40;
    static final int SERVICE_ID = 63;
    static final int DETAIL = 2000;

    private StoredForm() {
    }

    static AuditEvent of(AuditEvent e) {
        return new AuditEvent(cut(e.eventId(), EVENT_ID), e.type(), e.outcome(), e.recordedAt(),
                cut(e.actorType(), ACTOR_TYPE), cut(e.actorId(), ACTOR), cut(e.actorAddress(), ACTOR),
                cut(e.source(), SOURCE), cut(e.nhsNumber(), NHS_NUMBER), cut(e.messageId(), MESSAGE_ID),
                cut(e.serviceId(), SERVICE_ID), cut(e.detail(), DETAIL));
    }

    private static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }
}
