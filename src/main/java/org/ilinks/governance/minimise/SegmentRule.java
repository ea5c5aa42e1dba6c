package org.ilinks.governance.minimise;

import java.util.Map;

/**
 * What is allowed of one segment: either the whole segment unchanged, or only the listed fields.
 *
 * @param keepWhole true when the profile says {@code all}
 * @param fields    field number to policy; fields not listed are removed
 */
record SegmentRule(boolean keepWhole, Map<Integer, FieldPolicy> fields) {

    SegmentRule {
        fields = Map.copyOf(fields);
    }
}
