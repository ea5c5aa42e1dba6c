package org.ilinks.governance.consent;

import java.util.Objects;
import org.ilinks.governance.CodeSystems;

/**
 * One configured consent code: when {@code code} of {@code codeSystem} is found in a message, it has {@code effect}
 * with this scope. Code systems are compared by meaning ({@link CodeSystems}): SNOMED CT may be written {@code SCT},
 * {@code SNOMED}, {@code SNOMEDCT}, {@code SNOMED CT}, {@code http://snomed.info/sct} or its OID.
 *
 * @param scopeValue service id or category; null for {@link ConsentScope#ALL}
 */
public record ConsentCodeRule(String codeSystem, String code, ConsentCodeEffect effect, ConsentScope scope,
                              String scopeValue) {

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
        return code.equals(foundCode.strip()) && CodeSystems.same(codeSystem, system);
    }
}
