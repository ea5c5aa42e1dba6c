package org.ilinks.governance.consent;

import java.util.Locale;

/** What the patient chose in a directive: to dissent from sharing, or to consent to it. */
public enum ConsentChoice {
    DISSENT("dissent"),
    CONSENT("consent");

    private final String word;

    ConsentChoice(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** @return the choice spelled {@code word} (any case), or null when there is none */
    public static ConsentChoice fromWord(String word) {
        for (ConsentChoice c : values()) {
            if (c.word.equals(word == null ? null : word.strip().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        return null;
    }
}
