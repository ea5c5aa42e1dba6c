package org.ilinks.governance.minimise;

import java.util.Arrays;
import java.util.Optional;

/** What a profile does to one allowed field or component, by the name an analyst writes in the profile file. */
public enum Transform {
    KEEP("keep"),
    REMOVE("remove"),
    MASK("mask"),
    OUTWARD_CODE("outward-code"),
    BIRTH_YEAR("birth-year"),
    BIRTH_YEAR_MONTH("birth-year-month"),
    AGE_BAND("age-band"),
    PSEUDONYMISE("pseudonymise");

    private final String profileName;

    Transform(String profileName) {
        this.profileName = profileName;
    }

    /** The name used in profile files, e.g. {@code outward-code}. */
    public String profileName() {
        return profileName;
    }

    public static Optional<Transform> byProfileName(String name) {
        return Arrays.stream(values()).filter(t -> t.profileName.equals(name)).findFirst();
    }

    static String allNames() {
        return String.join(", ", Arrays.stream(values()).map(Transform::profileName).toList());
    }
}
