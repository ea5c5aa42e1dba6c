package org.ilinks.governance.consent;

import java.util.Locale;

/** Who a directive came from: a GP practice (ODS code), the patient themself, or a clinician. */
public enum DirectiveSource {
    PRACTICE("practice"),
    PATIENT("patient"),
    CLINICIAN("clinician");

    private final String word;

    DirectiveSource(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** @return the source spelled {@code word} (any case), or null when there is none */
    public static DirectiveSource fromWord(String word) {
        for (DirectiveSource s : values()) {
            if (s.word.equals(word == null ? null : word.strip().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }
}
