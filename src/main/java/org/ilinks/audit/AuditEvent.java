package org.ilinks.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One audit record, with the fields of an RFC 3881 / FHIR AuditEvent: what happened (type, action), how it ended
 * (outcome), when, who did it (actor: the engine or a person, and a network address), which engine recorded it
 * (source), and what it was about (the participant objects: patient, message, service). The chain fields (sequence
 * number and hashes) are the store's, not the event's.
 *
 * @param eventId      unique id (26 characters, as message ids); a redelivered event is recognised by it
 * @param outcome      RFC 3881 EventOutcomeIndicator: 0 success, 4 minor failure, 8 serious failure, 12 major failure
 * @param actorType    {@code system} for the engine, {@code person} for a user
 * @param actorId      the engine's node name, or the person's user name
 * @param actorAddress network address of the actor (the MLLP peer for RECEIVED, the client for a person), or null
 * @param source       the engine that recorded it (its node name)
 * @param nhsNumber    the patient, when known and a valid NHS number; else null
 * @param messageId    the engine's message id, when the event is about a message
 * @param serviceId    the service, when the event is about one
 * @param detail       the reason, the purpose given, an ACK code, a hash: words and codes, never message content
 */
public record AuditEvent(String eventId, AuditEventType type, int outcome, Instant recordedAt, String actorType,
                         String actorId, String actorAddress, String source, String nhsNumber, String messageId,
                         String serviceId, String detail) {

    public static final int SUCCESS = 0;
    public static final int MINOR_FAILURE = 4;
    public static final int SERIOUS_FAILURE = 8;
    public static final int MAJOR_FAILURE = 12;
    public static final String SYSTEM = "system";
    public static final String PERSON = "person";

    public AuditEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        // Both databases keep microseconds: the hash must be of what can be read back.
        recordedAt = Objects.requireNonNull(recordedAt, "recordedAt").truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Objects.requireNonNull(actorType, "actorType");
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(source, "source");
        if (outcome != SUCCESS && outcome != MINOR_FAILURE && outcome != SERIOUS_FAILURE && outcome != MAJOR_FAILURE) {
            throw new IllegalArgumentException("outcome must be 0, 4, 8 or 12");
        }
    }

    /** RFC 3881 EventActionCode of this event's type. */
    public String action() {
        return type.action();
    }

    /**
     * The canonical form the chain hashes: every field in a fixed order, separated by the ASCII unit separator,
     * absent values empty, the time as epoch microseconds. Two events hash alike exactly when every field is equal.
     */
    public String canonical() {
        return String.join("\u001f", eventId, type.name(), Integer.toString(outcome),
                Long.toString(recordedAt.getEpochSecond() * 1_000_000L + recordedAt.getNano() / 1_000),
                actorType, actorId, orEmpty(actorAddress), source, orEmpty(nhsNumber), orEmpty(messageId),
                orEmpty(serviceId), orEmpty(detail));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
