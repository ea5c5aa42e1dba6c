package org.ilinks.extract.csv;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.ServiceDefinition.Governance;
import org.ilinks.config.ServiceDefinition.UnverifiedNhsNumber;
import org.ilinks.governance.NhsNumberState;
import org.ilinks.governance.Outcome;
import org.ilinks.governance.consent.ConsentDecider;
import org.ilinks.governance.consent.ConsentDecision;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentRegistry;

/**
 * The rules routing applies to a message, applied to a row of an extract for one service: subscription (record type
 * and practice), NHS number (a row without a valid one is held back from services that hold such data, as
 * {@code unverifiedNhsNumber: hold} says), then consent (the registry's directives against the service's model and
 * categories, judged now). Restricted-code lists and protection flags are HL7 concepts and do not apply: what a
 * service may see of a row is its profile's {@code extractColumns}. A patient's directives are read once per file.
 */
final class ExtractGovernor {

    private final ConsentRegistry registry;
    private final String ods;
    private final String nhsColumn;
    private final Instant now;
    private final Map<String, List<ConsentDirective>> directives = new HashMap<>();

    ExtractGovernor(ConsentRegistry registry, String ods, String nhsColumn, Instant now) {
        this.registry = registry;
        this.ods = ods;
        this.nhsColumn = nhsColumn;
        this.now = now;
    }

    RowDecision decide(ExtractRecord row, ServiceDefinition service) {
        String whyNot = service.subscription().extracts().any()
                ? service.subscription().extracts().whyNot(ods, row.recordType())
                : "it takes no practice extracts";
        if (whyNot != null) {
            return new RowDecision(Outcome.NOT_SUBSCRIBED, "NOT_SUBSCRIBED", whyNot);
        }
        Governance rules = service.governance();
        if (row.nhsState() != NhsNumberState.VERIFIED) {
            String problem = row.nhsNumberProblem(nhsColumn);
            if (rules.unverifiedNhsNumber() == UnverifiedNhsNumber.HOLD) {
                return new RowDecision(Outcome.HELD, "NHS_NUMBER_" + row.nhsState().name(), problem + "; service "
                        + service.id() + " does not receive rows without a valid NHS number");
            }
            ConsentDecision d = ConsentDecider.withoutPatient(rules.consentModel(), service.id(), problem);
            return new RowDecision(d.share() ? Outcome.SEND : Outcome.WITHHELD, d.reason().name(), d.sentence());
        }
        List<ConsentDirective> patient = directives.computeIfAbsent(row.nhsNumber(), registry::directivesFor);
        ConsentDecision d = ConsentDecider.decide(patient, rules.consentModel(), service.id(), rules.categories(), now);
        return new RowDecision(d.share() ? Outcome.SEND : Outcome.WITHHELD, d.reason().name(), d.sentence());
    }
}
