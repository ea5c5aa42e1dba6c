package org.ilinks.governance.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import org.ilinks.hl7.NhsNumber;

/**
 * One consent directive for one patient: what it covers ({@link ConsentScope} and its value), the patient's choice,
 * the days it is in effect (both ends inclusive; no end means open-ended), where it came from and who recorded it,
 * and, once ended, when, by whom and why. {@link #toString()} never shows the NHS number.
 *
 * @param id              the registry's id, null until recorded
 * @param nhsNumber       ten digits, Modulus 11 valid
 * @param scopeValue      the service id or category name; null for {@link ConsentScope#ALL}
 * @param effectiveTo     last day in effect, inclusive; null when open-ended
 * @param sourceId        the practice's ODS code or the clinician's identifier; may be null for the patient
 * @param sourceMessageId the internal id of the message the directive was read from, when it came from one
 * @param importId        the {@code consent_import} row of the CSV import it came from, when it came from one
 * @param supersededBy    the directive that replaced this one, when it was ended by being replaced
 */
public record ConsentDirective(
        Long id,
        String nhsNumber,
        ConsentScope scope,
        String scopeValue,
        ConsentChoice choice,
        LocalDate effectiveFrom,
        LocalDate effectiveTo,
        DirectiveSource source,
        String sourceId,
        String recordedBy,
        String reason,
        Instant recordedAt,
        String sourceMessageId,
        Long importId,
        Instant endedAt,
        String endedBy,
        String endReason,
        Long supersededBy) {

    public ConsentDirective {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(recordedBy, "recordedBy");
        Objects.requireNonNull(recordedAt, "recordedAt");
        // The message names the field only: an NHS number must never reach an exception message.
        if (!NhsNumber.isValid(nhsNumber)) {
            throw new IllegalArgumentException("nhs_number fails the Modulus 11 check");
        }
        nhsNumber = NhsNumber.normalise(nhsNumber);
        scopeValue = blankToNull(scopeValue);
        if (scope == ConsentScope.ALL && scopeValue != null) {
            throw new IllegalArgumentException("scope_value must be empty when scope is all");
        }
        if (scope != ConsentScope.ALL && scopeValue == null) {
            throw new IllegalArgumentException("scope_value is required when scope is " + scope.word());
        }
        if (effectiveTo != null && effectiveTo.isBefore(effectiveFrom)) {
            throw new IllegalArgumentException("effective_to is before effective_from");
        }
        if (recordedBy.isBlank()) {
            throw new IllegalArgumentException("recorded_by is required");
        }
        sourceId = blankToNull(sourceId);
        reason = blankToNull(reason);
    }

    /** Starts a directive that is in effect from {@code effectiveFrom}, open-ended, not yet recorded. */
    public static Builder builder(String nhsNumber, ConsentScope scope, String scopeValue, ConsentChoice choice,
                                  LocalDate effectiveFrom) {
        return new Builder(nhsNumber, scope, scopeValue, choice, effectiveFrom);
    }

    /** True when this directive is in effect on {@code day}: inside its window and not ended by {@code moment}. */
    public boolean inEffect(LocalDate day, Instant moment) {
        return !day.isBefore(effectiveFrom)
                && (effectiveTo == null || !day.isAfter(effectiveTo))
                && (endedAt == null || moment.isBefore(endedAt));
    }

    /** True when it covers sharing with this service, given the categories the service belongs to. */
    public boolean covers(String serviceId, java.util.Set<String> serviceCategories) {
        return switch (scope) {
            case ALL -> true;
            case SERVICE -> scopeValue.equalsIgnoreCase(serviceId == null ? "" : serviceId);
            case CATEGORY -> serviceCategories != null
                    && serviceCategories.stream().anyMatch(c -> scopeValue.equalsIgnoreCase(c));
        };
    }

    /** This directive ended at {@code at}, as {@link ConsentRegistry#end} records it. */
    public ConsentDirective endedAt(Instant at, String by, String why) {
        return new ConsentDirective(id, nhsNumber, scope, scopeValue, choice, effectiveFrom, effectiveTo, source,
                sourceId, recordedBy, reason, recordedAt, sourceMessageId, importId, at, by, why, supersededBy);
    }

    public ConsentDirective withId(long newId) {
        return new ConsentDirective(newId, nhsNumber, scope, scopeValue, choice, effectiveFrom, effectiveTo, source,
                sourceId, recordedBy, reason, recordedAt, sourceMessageId, importId, endedAt, endedBy, endReason,
                supersededBy);
    }

    @Override
    public String toString() {
        return "ConsentDirective[id=" + id + ", " + choice.word() + " " + scope.word()
                + (scopeValue == null ? "" : " " + scopeValue) + ", from " + effectiveFrom
                + (effectiveTo == null ? "" : " to " + effectiveTo) + ", source " + source.word()
                + (sourceId == null ? "" : " " + sourceId) + (endedAt == null ? "" : ", ended " + endedAt) + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Builds a new directive; what is not set is empty (open-ended, no reason, not from a message or import). */
    public static final class Builder {
        private final String nhsNumber;
        private final ConsentScope scope;
        private final String scopeValue;
        private final ConsentChoice choice;
        private final LocalDate effectiveFrom;
        private LocalDate effectiveTo;
        private DirectiveSource source = DirectiveSource.PATIENT;
        private String sourceId;
        private String recordedBy = "unknown";
        private String reason;
        private Instant recordedAt = Instant.now();
        private String sourceMessageId;
        private Long importId;

        private Builder(String nhsNumber, ConsentScope scope, String scopeValue, ConsentChoice choice,
                        LocalDate effectiveFrom) {
            this.nhsNumber = nhsNumber;
            this.scope = scope;
            this.scopeValue = scopeValue;
            this.choice = choice;
            this.effectiveFrom = effectiveFrom;
        }

        public Builder effectiveTo(LocalDate value) {
            effectiveTo = value;
            return this;
        }

        public Builder source(DirectiveSource type, String id) {
            source = type;
            sourceId = id;
            return this;
        }

        public Builder recordedBy(String value) {
            recordedBy = value;
            return this;
        }

        public Builder reason(String value) {
            reason = value;
            return this;
        }

        public Builder recordedAt(Instant value) {
            recordedAt = value;
            return this;
        }

        public Builder sourceMessageId(String value) {
            sourceMessageId = value;
            return this;
        }

        public Builder importId(Long value) {
            importId = value;
            return this;
        }

        public ConsentDirective build() {
            return new ConsentDirective(null, nhsNumber, scope, scopeValue, choice, effectiveFrom, effectiveTo, source,
                    sourceId, recordedBy, reason, recordedAt, sourceMessageId, importId, null, null, null, null);
        }
    }
}
