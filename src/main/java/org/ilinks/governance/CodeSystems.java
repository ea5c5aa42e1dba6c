package org.ilinks.governance;

import java.util.Locale;
import java.util.Set;

/**
 * Compares code systems as senders write them in coded fields (component 3 or 6 of CE/CWE/CNE). SNOMED CT arrives
 * under several names, so it is compared by meaning: {@code SCT}, {@code SNOMED}, {@code SNOMEDCT},
 * {@code SNOMED CT}, {@code SNOMED-CT}, {@code http://snomed.info/sct} and its OID {@code 2.16.840.1.113883.6.96}
 * are the same system. Every other system (LN, READ, CTV3, I10, ...) is compared case-insensitively as written.
 */
public final class CodeSystems {

    private static final Set<String> SNOMED = Set.of("SCT", "SNOMED", "SNOMEDCT", "SNOMED CT", "SNOMED-CT",
            "HTTP://SNOMED.INFO/SCT", "2.16.840.1.113883.6.96");

    private CodeSystems() {
    }

    /** The name two spellings of the same system share: {@code SNOMED CT}, or the system upper-cased. */
    public static String canonical(String system) {
        String s = system == null ? "" : system.strip().toUpperCase(Locale.ROOT);
        return SNOMED.contains(s) ? "SNOMED CT" : s;
    }

    public static boolean same(String system, String other) {
        return canonical(system).equals(canonical(other));
    }
}
