package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.ilinks.governance.GovernanceStep;
import org.ilinks.governance.Outcome;
import org.ilinks.governance.PatientFacts;
import org.ilinks.governance.ServiceOutcome;
import org.ilinks.governance.consent.ConsentChange;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.trial.Trial;
import org.ilinks.hl7.MessageHeader;
import org.ilinks.hl7.Rejection;

/**
 * Prints what {@code ilinks try} found for each message, for an analyst to read. The header and patient lines hold
 * no patient data (no NHS number, no names): they are what gets pasted into tickets. Only the message bodies, which
 * the analyst asked to see from their own sample file, carry the patient's data, and they go to the command's
 * output only, never to a log.
 *
 * <p>Layout, two spaces per level: the header line; then the patient line and any consent changes; then one line
 * per service, {@code id: OUTCOME (REASON_CODE) - sentence}; under a SEND, what was removed or changed and the
 * message as the service would receive it, one segment per line.
 */
final class TryReport {

    static final String BODY_INDENT = "      ";

    private final PrintWriter out;
    private final Set<String> services;
    private final boolean bodies;

    /**
     * @param services the services to show; empty shows every service
     * @param bodies   false to leave out the messages the services would receive
     */
    TryReport(PrintWriter out, Set<String> services, boolean bodies) {
        this.out = out;
        this.services = services;
        this.bodies = bodies;
    }

    void header(String file, int n, int of, MessageHeader h) {
        String type = h.messageType().isBlank() ? "?" : h.messageType()
                + (h.triggerEvent().isBlank() ? "" : "^" + h.triggerEvent());
        out.println(file + ", message " + n + " of " + of + ": " + type + ", control id "
                + (h.controlId().isBlank() ? "(none)" : h.controlId()) + ", from "
                + (h.sendingFacility().isBlank() ? "(no MSH-4)" : h.sendingFacility()));
    }

    void trial(Trial t) {
        if (t.rejectedAtIntake()) {
            Rejection r = t.inspection().rejection();
            out.println("  rejected at intake: " + r.code() + " " + r.codeText() + " - " + r.reason()
                    + "; the sender would get AR, and nothing is kept or routed");
            return;
        }
        if (t.facts() != null) {
            out.println("  patient: " + facts(t.facts()) + "; consent directives: " + t.directivesInForce());
        }
        if (!t.consentChanges().isEmpty()) {
            out.println("  this message records: " + t.consentChanges().stream().map(TryReport::change)
                    .collect(Collectors.joining("; ")));
        }
        if (t.parkedBecause() != null) {
            out.println("  " + t.parkedBecause() + "; the engine would park it on "
                    + GovernanceStep.INTAKE_PARKED_QUEUE + " and send it to no service");
            return;
        }
        for (ServiceOutcome o : t.outcomes()) {
            if (services.isEmpty() || services.contains(o.service().id())) {
                outcome(o);
            }
        }
    }

    private void outcome(ServiceOutcome o) {
        String id = o.service().id();
        if (o.outcome() == Outcome.NOT_SUBSCRIBED) {
            out.println("  " + id + ": not subscribed - " + o.reason());
            return;
        }
        out.println("  " + id + ": " + o.outcome() + " (" + o.reasonCode() + ") - " + o.reason());
        if (o.outcome() != Outcome.SEND) {
            return;
        }
        if (o.changes().isEmpty()) {
            out.println("    removed/changed: nothing");
        } else {
            out.println("    removed/changed:");
            o.changes().forEach(c -> out.println("      " + c));
        }
        if (bodies) {
            out.println("    message " + id + " would receive:");
            for (String segment : o.message().text().split("\r")) {
                if (!segment.isEmpty()) {
                    out.println(BODY_INDENT + segment);
                }
            }
        }
    }

    static String facts(PatientFacts f) {
        return "NHS number " + nhsNumber(f)
                + "; registered practice " + (f.registeredPractices().isEmpty() ? "none (PD1-3 empty)"
                        : String.join(", ", f.registeredPractices().stream().sorted().toList()))
                + "; protected record " + (f.protectedRecord() ? "yes (PD1-12 = Y)" : "no")
                + "; patient class " + (f.patientClass().isEmpty() ? "none (PV1-2 empty)" : f.patientClass());
    }

    private static String nhsNumber(PatientFacts f) {
        return switch (f.nhsNumberState()) {
            case VERIFIED -> "verified";
            case NOT_VERIFIED -> f.traceStatus().isEmpty() ? "not verified (no PID-32 trace status, and one is "
                    + "required)" : "not verified (PID-32 " + f.traceStatus() + ")";
            case INVALID -> "invalid (fails the Modulus 11 check)";
            case MISSING -> "missing";
        };
    }

    /** E.g. {@code start dissent, scope category secondary-use, from 2026-11-29 (OBX[1]-5)}. */
    static String change(ConsentChange c) {
        ConsentDirective d = c.directive();
        return c.effect().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ", scope " + d.scope().word()
                + (d.scopeValue() == null ? "" : " " + d.scopeValue()) + ", from " + d.effectiveFrom()
                + " (" + c.foundIn() + ")";
    }
}
