package org.ilinks.governance.consent;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One configured consent code: when {@code code} of {@code codeSystem} is found in a message, it has {@code effect}
 * with this scope. Code systems are compared by meaning: SNOMED CT may be written {@code SCT}, {@code SNOMED},
 * {@code SNOMEDCT}, {@code SNOMED CT}, {@code http://snomed.info/sct} or its OID {@code 2.16.840.1.113883.6.96}.
 *
 * @param scopeValue service id or category; null for {@link ConsentScope#ALL}
 */
public record ConsentCodeRule(String codeSystem, String code, ConsentCodeEffect effect, ConsentScope scope,
                              String scopeValue) {

    private static final Set<String> SNOMED = Set.of("SCT", "SNOMED", "SNOMEDCT", "SNOMED CT", "SNOMED-CT",
            "HTTP://SNOMED.INFO/SCT", "2.16.840.1.113883.6.96");

    public ConsentCodeRule {
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(scope, "scope");
        if (codeSystem == null || codeSystem.isBlank() || code == null || code.isBlank()) {
            throw new IllegalArgumentException("a consent code rule needs a code system and a code");
        }
        scopeValue = scopeValue == null || scopeValue.isBlank() ? null : scopeValue.strip();
        if ((scope == ConsentScope.ALL) != (scopeValue == null)) {
            throw new IllegalArgumentException("a consent code rule has a scope value exactly when its scope is not all");
        }
        code = code.strip();
    }

    /** True when a coded entry {@code code} in {@code system} (as written in the message) is this rule's code. */
    public boolean matches(String system, String foundCode) {
        return code.equals(foundCode.strip()) && canonical(codeSystem).equals(canonical(system));
    }

    static String canonical(String system) {
        String s = system == null ? "" : system.strip().toUpperCase(Locale.ROOT);
        return SNOMED.contains(s) ? "SNOMED CT" : s;
    }
}
