package org.ilinks.governance.minimise;

import java.util.Map;

/**
 * What happens to one repetition of a field.
 *
 * @param whole      the transform for the repetition as a whole, or null when only listed components are kept
 * @param components transforms of single components (1-based), overriding {@code whole} for those components
 */
record FieldRule(Transform whole, Map<Integer, Transform> components) {

    FieldRule {
        components = Map.copyOf(components);
    }

    /** The transform for component {@code index} when the repetition is split into components. */
    Transform forComponent(int index) {
        Transform own = components.get(index);
        if (own != null) {
            return own;
        }
        return whole == null ? Transform.REMOVE : whole;
    }
}
