package org.ilinks.governance.trial;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.ilinks.governance.GovernanceConfig;
import org.ilinks.governance.Governor;
import org.ilinks.governance.PatientFacts;
import org.ilinks.governance.ServiceOutcome;
import org.ilinks.governance.consent.ConsentChange;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.hl7.Hl7Inspector;
import org.ilinks.hl7.Inspection;

/**
 * The engine's path from intake to the service queues for one message at a time, with the stores left out: intake's
 * inspection, then what {@link org.ilinks.governance.GovernanceStep} does, with the consent registry replaced by a
 * list held in memory. Consent codes in a message change that list for the messages after it, as they would change
 * the registry. Nothing is written anywhere, so an analyst can run it against the live configuration at any time.
 *
 * <p>Not thread-safe: one run, one message after another, as {@code ilinks try} reads them.
 */
public final class DryRun {

    private final Hl7Inspector inspector;
    private final Governor governor;
    private final Instant at;
    private List<ConsentDirective> directives;
    private long nextId;

    /**
     * @param inspector  intake's inspector, made from the same settings as the engine's
     * @param at         the moment everything is judged at: consent, message days without a date, age bands
     * @param directives consent directives as the registry would hold them (every patient's; ids set)
     */
    public DryRun(GovernanceConfig config, Hl7Inspector inspector, Instant at, List<ConsentDirective> directives) {
        this.inspector = inspector;
        this.governor = new Governor(config, inspector, Clock.fixed(at, ZoneOffset.UTC));
        this.at = at;
        this.directives = List.copyOf(directives);
        this.nextId = directives.stream().mapToLong(d -> d.id() == null ? 0 : d.id()).max().orElse(0) + 1;
    }

    /** @param messageId stands in for the engine's internal id, recorded on directives the message starts */
    public Trial run(byte[] raw, String messageId) {
        Inspection inspection = inspector.inspect(raw);
        if (!inspection.accepted()) {
            return Trial.rejected(inspection);
        }
        PatientFacts facts;
        try {
            facts = governor.facts(raw);
        } catch (RuntimeException e) {
            return Trial.parked(inspection, null, "facts", e);
        }
        List<ConsentChange> changes = List.of();
        List<ConsentDirective> patients = List.of();
        if (facts.nhsNumber() != null) {
            changes = governor.consentChanges(raw, messageId, at);
            if (!changes.isEmpty()) {
                directives = numbered(ConsentChange.applyTo(directives, changes));
            }
            patients = directives.stream().filter(d -> d.nhsNumber().equals(facts.nhsNumber())).toList();
        }
        List<ServiceOutcome> outcomes;
        try {
            outcomes = governor.decide(raw, facts, patients, at);
        } catch (RuntimeException e) {
            return Trial.parked(inspection, facts, "decide", e);
        }
        return new Trial(inspection, facts, changes, patients.size(), outcomes, null);
    }

    /** The directives held now: those given, as changed by the consent codes of the messages run so far. */
    public List<ConsentDirective> directives() {
        return directives;
    }

    /** New directives get the next ids, as the registry gives them, so that precedence ties break the same way. */
    private List<ConsentDirective> numbered(List<ConsentDirective> all) {
        List<ConsentDirective> out = new ArrayList<>(all.size());
        for (ConsentDirective d : all) {
            out.add(d.id() == null ? d.withId(nextId++) : d);
        }
        return List.copyOf(out);
    }
}
