package org.ilinks.governance.minimise;

import java.util.Map;

/**
 * The rules for one field of an allowed segment: one rule for every repetition, and optionally other rules for
 * repetitions of a given identifier type.
 *
 * @param anyRepetition the rule for repetitions no type rule matches, or null to drop those repetitions
 * @param byType        rules by identifier type code (component 5 of the repetition)
 */
record FieldPolicy(FieldRule anyRepetition, Map<String, FieldRule> byType) {

    FieldPolicy {
        byType = Map.copyOf(byType);
    }

    /** The rule for a repetition whose identifier type is {@code type}, or null to drop it. */
    FieldRule ruleFor(String type) {
        FieldRule typed = byType.get(type);
        return typed != null ? typed : anyRepetition;
    }
}
