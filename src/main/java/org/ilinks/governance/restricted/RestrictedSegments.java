package org.ilinks.governance.restricted;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The segments whose coded fields can be searched, and what hangs off each: when a segment is removed, the
 * segments that directly follow it and belong to it go too, so that no note or result about it is left behind.
 */
final class RestrictedSegments {

    /** Fields per segment in HL7 v2.6 (the HAPI structures the engine ships; a test keeps them in step). */
    static final Map<String, Integer> FIELD_COUNTS = Map.of(
            "OBR", 50, "OBX", 25, "DG1", 26, "PRB", 28, "AL1", 6, "IAM", 20, "PR1", 22);

    /** Listed in the order analysts expect to read them in problems. */
    static final String SUPPORTED_LIST = "OBR, OBX, DG1, PRB, AL1, IAM, PR1";

    // An order's group in ORU/OML/ORM: its notes, timing, observations (with their notes), diagnoses, charges,
    // clinical trial and specimens. Removing only OBR and OBX would leave e.g. a specimen or diagnosis that says
    // what the order was for.
    private static final Set<String> AFTER_OBR = Set.of("NTE", "OBX", "TQ1", "TQ2", "CTD", "DG1", "FT1", "CTI",
            "SPM");
    private static final Set<String> NOTES = Set.of("NTE");
    private static final Set<String> AFTER_PRB = Set.of("NTE", "VAR", "ROL", "OBX");
    private static final Set<String> AFTER_PR1 = Set.of("NTE", "ROL");

    /**
     * Segments that, without an OBR, are the clinical content of a message: when all of them are removed the
     * message says nothing clinical and only its envelope would be left.
     */
    static final Set<String> CLINICAL_WITHOUT_OBR = Set.of("OBX", "DG1", "PRB", "AL1", "IAM", "PR1");

    private RestrictedSegments() {
    }

    static boolean isSupported(String segment) {
        return FIELD_COUNTS.containsKey(segment);
    }

    static Optional<Integer> fieldCount(String segment) {
        return Optional.ofNullable(FIELD_COUNTS.get(segment));
    }

    /** The segment types that belong to a {@code segment} when they directly follow it. */
    static Set<String> followers(String segment) {
        return switch (segment) {
            case "OBR" -> AFTER_OBR;
            case "PRB" -> AFTER_PRB;
            case "PR1" -> AFTER_PR1;
            default -> NOTES;
        };
    }
}
