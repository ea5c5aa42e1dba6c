package org.ilinks.governance.consent;

import java.util.Locale;

/**
 * How a service treats a patient with no directive that applies: {@link #OPT_OUT} shares (direct care, the iLINKS
 * model), {@link #OPT_IN} withholds until a consent is recorded (research, planning, publication).
 */
public enum ServiceConsentModel {
    OPT_OUT("opt-out"),
    OPT_IN("opt-in");

    private final String word;

    ServiceConsentModel(String word) {
        this.word = word;
    }

    /** The spelling used in service files: {@code opt-out} or {@code opt-in}. */
    public String word() {
        return word;
    }

    /** @return the model spelled {@code word} ({@code opt-out}, {@code opt_in}, any case), or null when there is none */
    public static ServiceConsentModel fromWord(String word) {
        if (word == null) {
            return null;
        }
        String w = word.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (ServiceConsentModel m : values()) {
            if (m.word.equals(w)) {
                return m;
            }
        }
        return null;
    }
}
