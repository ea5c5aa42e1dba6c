package org.ilinks.governance.restricted;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One removal of restricted data for one service, to be recorded. Holds no message values: only where the removed
 * group starts, why, and how big it was.
 *
 * @param segment         the segment whose code matched, by type and occurrence in the message, e.g. {@code OBX[3]}
 * @param categories      the categories it (and any matching segment removed with it) belongs to, sorted
 * @param segmentsRemoved the segments removed with it, itself included (its notes, results, ...)
 */
public record Removal(String segment, Set<String> categories, int segmentsRemoved) {

    public Removal {
        Objects.requireNonNull(segment, "segment");
        categories = Collections.unmodifiableSet(new TreeSet<>(categories));
    }
}
