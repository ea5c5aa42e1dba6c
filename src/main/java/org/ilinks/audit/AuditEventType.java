package org.ilinks.audit;

/**
 * Every kind of hop and person action the audit trail records, with the RFC 3881 / FHIR AuditEvent action code
 * (C create, R read, U update, D delete, E execute) it is reported with.
 */
public enum AuditEventType {
    /** Intake accepted a message (AA): sender, transport, size. */
    RECEIVED("C"),
    /** Intake refused a message: AR (cannot be accepted as it is, and why) or AE (could not be stored). */
    REJECTED("E"),
    /** A message re-sent by its sender, ACKed but not routed again. */
    DUPLICATE("E"),
    /** The consent decision for one service, with its reason code and sentence. */
    CONSENT_DECISION("E"),
    /** Legally restricted data removed for one service (which segments, which categories). */
    RESTRICTED_REMOVED("U"),
    /** The service's profile applied (profile name and the hash of its file). */
    MINIMISED("U"),
    /** A copy put on a service's queue. */
    QUEUED("C"),
    /** Not queued for a service: withheld by consent, protection or restricted data. */
    WITHHELD("E"),
    /** Held back for a service: no verified NHS number. */
    HELD("C"),
    /** One delivery attempt that failed (the service was unreachable or answered AE). */
    DELIVERY_ATTEMPT("E"),
    /** Delivered: the service has it (with the remote ACK code for MLLP). */
    DELIVERED("C"),
    /** Parked for support, with the reason. */
    PARKED("C"),
    /** Sent again by a person. */
    REPLAYED("E"),
    /** A practice's extract file taken from its SFTP server: name, size and SHA-256. */
    FILE_RECEIVED("C"),
    /** Every record of a practice's file queued. */
    FILE_DONE("E"),
    /** A practice's file queued but for malformed records, parked with their file and line. */
    FILE_PARTIAL("E"),
    /** A practice's file found bad: nothing from it queued, moved to the failed folder with the reason. */
    FILE_FAILED("E"),
    /** Configuration loaded at start or reloaded (with a hash of what was loaded). */
    CONFIG_LOADED("E"),
    /** An action by a person through the CLI or the admin API: who, what, and the purpose they gave. */
    PERSON_ACTION("E");

    private final String action;

    AuditEventType(String action) {
        this.action = action;
    }

    /** RFC 3881 EventActionCode: C, R, U, D or E. */
    public String action() {
        return action;
    }
}
