package org.ilinks.governance.consent;

/**
 * The outcome of a consent decision for one patient and one service.
 *
 * @param share       true to send the message to the service, false to withhold it
 * @param reason      a stable code saying why
 * @param sentence    the reason in words a person understands; never contains the NHS number
 * @param directiveId the directive that decided it, or null when none applied and the service's model did
 */
public record ConsentDecision(boolean share, ConsentReason reason, String sentence, Long directiveId) {
}
