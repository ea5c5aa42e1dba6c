package org.ilinks.governance.consent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.governance.GovernanceConfig;

/**
 * The consent registry's operations for people: record a directive, end one, list a patient's directives, and say
 * what each configured service would decide for the patient now. The one entry point for the command line today and
 * the admin API later, so both check input the same way (as a CSV row is checked) and answer the same way.
 *
 * <p>Input problems are {@link IllegalArgumentException}s whose message names the field and what is wrong with it,
 * never the value given; database failures are {@link ConsentStoreException}s.
 */
public final class ConsentOperations {

    private static final int MAX_NAME = 200;
    private static final int MAX_REASON = 2000;

    private final ConsentRegistry registry;
    private final Supplier<GovernanceConfig> config;
    private final Clock clock;

    /**
     * @param config the configuration in force, asked afresh for every decision (live reload may replace it)
     */
    public ConsentOperations(DataSource dataSource, Supplier<GovernanceConfig> config, Clock clock) {
        this.registry = new ConsentRegistry(dataSource);
        this.config = config;
        this.clock = clock;
    }

    /**
     * A directive to record, field by field as a person or a form gives it; the fields are the CSV columns of
     * {@link ConsentCsvFormat} and mean the same. {@link #toString()} never shows the NHS number.
     */
    public record RecordRequest(String nhsNumber, String scope, String scopeValue, String decision,
                                String effectiveFrom, String effectiveTo, String sourceType, String sourceId,
                                String recordedBy, String reason) {

        String field(String column) {
            return switch (column) {
                case "nhs_number" -> nhsNumber;
                case "scope" -> scope;
                case "scope_value" -> scopeValue;
                case "decision" -> decision;
                case "effective_from" -> effectiveFrom;
                case "effective_to" -> effectiveTo;
                case "source_type" -> sourceType;
                case "source_id" -> sourceId;
                case "recorded_by" -> recordedBy;
                case "reason" -> reason;
                default -> throw new IllegalArgumentException("no field " + column);
            };
        }

        @Override
        public String toString() {
            return "RecordRequest[" + decision + " " + scope + (scopeValue == null ? "" : " " + scopeValue)
                    + ", from " + effectiveFrom + (effectiveTo == null ? "" : " to " + effectiveTo) + ", source "
                    + sourceType + (sourceId == null ? "" : " " + sourceId) + "]";
        }
    }

    /**
     * Records a directive, recorded now.
     *
     * @return the directive as recorded, with its id
     * @throws IllegalArgumentException naming every field that is wrong ("effective_to is before effective_from")
     */
    public ConsentDirective record(RecordRequest request) {
        DirectiveValidator.Result result = DirectiveValidator.validate(request::field, clock.instant(), null);
        if (!result.ok()) {
            throw new IllegalArgumentException(String.join("; ", result.problems()));
        }
        return registry.record(result.directive());
    }

    /**
     * Ends a directive now: from this moment it no longer decides anything.
     *
     * @return false when there is no directive with this id or it was already ended
     * @throws IllegalArgumentException when {@code endedBy} is empty or a field is too long
     */
    public boolean end(long id, String endedBy, String reason) {
        List<String> problems = new ArrayList<>();
        String byProblem = DirectiveValidator.requiredTextProblem("ended_by", endedBy, MAX_NAME);
        if (byProblem != null) {
            problems.add(byProblem);
        }
        DirectiveValidator.tooLong("end_reason", reason, MAX_REASON, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        return registry.end(id, endedBy.strip(), why, clock.instant(), null);
    }

    /**
     * Every directive recorded for the patient, ended ones included, oldest first.
     *
     * @throws IllegalArgumentException when the NHS number is not a valid one
     */
    public List<ConsentDirective> directivesFor(String nhsNumber) {
        return registry.directivesFor(checkedNhsNumber(nhsNumber));
    }

    /** Where a directive stands now. */
    public DirectiveState stateOf(ConsentDirective directive) {
        return DirectiveState.of(directive, clock.instant());
    }

    /**
     * What consent says now about sending this patient's data to this configured service, under the configuration
     * in force (its consent model and categories).
     *
     * @throws IllegalArgumentException when the NHS number is not valid or no configured service has this id
     */
    public ServiceConsent decisionFor(String nhsNumber, String serviceId) {
        List<ConsentDirective> directives = directivesFor(nhsNumber);
        ServiceDefinition service = config.get().services().stream()
                .filter(s -> s.id().equals(serviceId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("service_id names no configured service"));
        return decide(directives, service);
    }

    /**
     * {@link #decisionFor} for every configured service, in the configuration's order (by file name), on one read of
     * the registry.
     */
    public List<ServiceConsent> decisionsFor(String nhsNumber) {
        List<ConsentDirective> directives = directivesFor(nhsNumber);
        return config.get().services().stream().map(s -> decide(directives, s)).toList();
    }

    private ServiceConsent decide(List<ConsentDirective> directives, ServiceDefinition service) {
        ServiceDefinition.Governance rules = service.governance();
        return new ServiceConsent(service.id(), rules.consentModel(), ConsentDecider.decide(directives,
                rules.consentModel(), service.id(), rules.categories(), clock.instant()));
    }

    private static String checkedNhsNumber(String nhsNumber) {
        String problem = DirectiveValidator.nhsNumberProblem(nhsNumber);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return nhsNumber;
    }
}
