package org.ilinks.governance.consent;

/** Why a consent decision came out as it did; stable codes for logs, audit and the {@code try} command. */
public enum ConsentReason {
    /** No directive applies and the service is opt-out: shared. */
    NO_DIRECTIVE_OPT_OUT,
    /** No directive applies and the service is opt-in: withheld. */
    NO_CONSENT_OPT_IN,
    /** The patient has no usable NHS number, so no directive can apply; the service is opt-out: shared. */
    NO_NHS_NUMBER_OPT_OUT,
    /** The patient has no usable NHS number, so no consent can be found; the service is opt-in: withheld. */
    NO_NHS_NUMBER_OPT_IN,
    DISSENT_ALL,
    DISSENT_CATEGORY,
    DISSENT_SERVICE,
    CONSENT_ALL,
    CONSENT_CATEGORY,
    CONSENT_SERVICE;

    static ConsentReason of(ConsentChoice choice, ConsentScope scope) {
        return valueOf(choice.name() + "_" + scope.name());
    }
}
