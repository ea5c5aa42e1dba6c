package org.ilinks.governance.consent;

/**
 * What consent alone says about sending a patient's data to one configured service now: the service's model and the
 * decision. Other governance (protected records, NHS number verification, restricted data) is not part of it.
 */
public record ServiceConsent(String serviceId, ServiceConsentModel model, ConsentDecision decision) {

    /** {@code SEND} or {@code WITHHELD}, the words routing decisions use. */
    public String outcome() {
        return decision.share() ? "SEND" : "WITHHELD";
    }
}
