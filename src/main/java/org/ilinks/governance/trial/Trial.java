package org.ilinks.governance.trial;

import java.util.List;
import org.ilinks.governance.PatientFacts;
import org.ilinks.governance.ServiceOutcome;
import org.ilinks.governance.consent.ConsentChange;
import org.ilinks.hl7.Inspection;

/**
 * What the engine would do with one message, worked out without its stores by {@link DryRun}.
 *
 * @param inspection          intake's inspection; when not accepted the sender would get an AR and nothing else
 *                            happens (every other component is empty or null)
 * @param facts               what governance decided on; null when rejected, or when the facts could not be read
 * @param consentChanges      the directives the message's own consent codes record or end
 * @param directivesInForce   how many consent directives (recorded or ended) the patient has once those are applied
 * @param outcomes            one per configured service, in configuration order; empty unless {@link #decided()}
 * @param parkedBecause       why governance could not be applied, in which case the engine parks the message on
 *                            {@code ilinks.intake.parked}; null otherwise. Names the stage and exception type only.
 */
public record Trial(Inspection inspection, PatientFacts facts, List<ConsentChange> consentChanges,
                    int directivesInForce, List<ServiceOutcome> outcomes, String parkedBecause) {

    public Trial {
        consentChanges = List.copyOf(consentChanges);
        outcomes = List.copyOf(outcomes);
    }

    static Trial rejected(Inspection inspection) {
        return new Trial(inspection, null, List.of(), 0, List.of(), null);
    }

    static Trial parked(Inspection inspection, PatientFacts facts, String stage, RuntimeException e) {
        return new Trial(inspection, facts, List.of(), 0, List.of(), "governance could not be applied (" + stage
                + "): " + e.getClass().getSimpleName());
    }

    public boolean rejectedAtIntake() {
        return !inspection.accepted();
    }

    public boolean decided() {
        return inspection.accepted() && parkedBecause == null;
    }
}
