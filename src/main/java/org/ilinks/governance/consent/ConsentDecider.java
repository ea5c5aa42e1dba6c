package org.ilinks.governance.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

/**
 * The consent rule, without a database: of a patient's directives, those in effect at the moment and covering the
 * service are candidates; the narrowest scope wins (service over category over all), and at the same scope the most
 * recently recorded (then the latest in effect, then the latest id). The winner's choice decides; with no winner the
 * service's model does (opt-out shares, opt-in withholds).
 */
public final class ConsentDecider {

    /** Effective dates are days in England; a moment is judged by the day it falls on there. */
    public static final ZoneId ZONE = ZoneId.of("Europe/London");

    private static final Comparator<ConsentDirective> PRECEDENCE = Comparator
            .comparingInt((ConsentDirective d) -> d.scope().specificity())
            .thenComparing(ConsentDirective::recordedAt)
            .thenComparing(ConsentDirective::effectiveFrom)
            .thenComparing(d -> d.id() == null ? Long.MIN_VALUE : d.id());

    private ConsentDecider() {
    }

    /**
     * The decision for a patient without a usable NHS number: no directive can be found, so the model decides.
     *
     * @param why why there is no usable NHS number, in words (no patient data)
     */
    public static ConsentDecision withoutPatient(ServiceConsentModel model, String serviceId, String why) {
        return model == ServiceConsentModel.OPT_IN
                ? new ConsentDecision(false, ConsentReason.NO_NHS_NUMBER_OPT_IN, why + ", so no recorded consent can"
                        + " be found, and service " + serviceId + " shares only with consent (opt-in)", null)
                : new ConsentDecision(true, ConsentReason.NO_NHS_NUMBER_OPT_OUT, why + ", so no dissent can be "
                        + "found, and service " + serviceId + " shares unless the patient dissents (opt-out)", null);
    }

    public static ConsentDecision decide(Collection<ConsentDirective> directives, ServiceConsentModel model,
                                         String serviceId, Set<String> serviceCategories, Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZONE);
        Optional<ConsentDirective> winner = directives.stream()
                .filter(d -> d.inEffect(day, at))
                .filter(d -> d.covers(serviceId, serviceCategories))
                .max(PRECEDENCE);
        if (winner.isPresent()) {
            ConsentDirective d = winner.get();
            return new ConsentDecision(d.choice() == ConsentChoice.CONSENT, ConsentReason.of(d.choice(), d.scope()),
                    DirectiveSentence.of(d), d.id());
        }
        return model == ServiceConsentModel.OPT_IN
                ? new ConsentDecision(false, ConsentReason.NO_CONSENT_OPT_IN,
                        "no recorded consent applies, and service " + serviceId + " shares only with consent (opt-in)",
                        null)
                : new ConsentDecision(true, ConsentReason.NO_DIRECTIVE_OPT_OUT,
                        "no dissent recorded, and service " + serviceId + " shares unless the patient dissents "
                                + "(opt-out)", null);
    }
}
