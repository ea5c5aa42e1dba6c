package org.ilinks.governance.consent;

/**
 * A change to the registry that a message asks for through a consent code.
 *
 * @param effect    start or end a dissent or consent
 * @param directive for a start, the directive to record; for an end, the terms of the open directives to end
 *                  (patient, scope, choice), with its effective-from day as the day they end
 * @param foundIn   where the code was, e.g. {@code OBX[2]-3}; never a value from the message
 */
public record ConsentChange(ConsentCodeEffect effect, ConsentDirective directive, String foundIn) {

    /**
     * The directives as they would be after {@code changes}, without a registry: what {@link ConsentRegistry#apply}
     * does, in memory, for {@code try}.
     */
    public static java.util.List<ConsentDirective> applyTo(java.util.List<ConsentDirective> directives,
                                                          java.util.List<ConsentChange> changes) {
        java.util.List<ConsentDirective> result = new java.util.ArrayList<>(directives);
        for (ConsentChange change : changes) {
            ConsentDirective d = change.directive();
            if (change.effect().starts()) {
                result.add(d);
                continue;
            }
            java.time.Instant from = d.effectiveFrom().atStartOfDay(ConsentDecider.ZONE).toInstant();
            result.replaceAll(e -> e.endedAt() == null && e.nhsNumber().equals(d.nhsNumber()) && e.scope() == d.scope()
                    && e.choice() == d.choice() && (d.scope() == ConsentScope.ALL
                            || (e.scopeValue() != null && e.scopeValue().equalsIgnoreCase(d.scopeValue())))
                    ? e.endedAt(from, d.recordedBy(), d.reason()) : e);
        }
        return result;
    }
}
