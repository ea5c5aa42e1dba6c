package org.ilinks.admin;

/** What an admin API caller may do; {@link Role} says which roles grant which. */
public enum Permission {
    /** Any logged-in user: who they are, their own password, service status. */
    SIGNED_IN,
    /** Validate and try configurations. */
    TRY_CONFIG,
    /** Message metadata: ids, services, status, errors; never content. */
    MESSAGE_METADATA,
    /** Send messages again. */
    REPLAY,
    /** Audit trail queries, verification, export, subject-access reports. */
    AUDIT,
    /** Read a patient's consent directives and decisions. */
    CONSENT_READ,
    /** Record or end consent directives. */
    CONSENT_CHANGE,
    /** Users and API tokens. */
    USERS,
    /** See a message body; every view also needs a purpose and is audited. */
    BODY
}
