package org.ilinks.governance.consent;

import java.util.Locale;

/** What a consent directive covers: all sharing, one service, or a category of services. */
public enum ConsentScope {
    ALL(0, "all"),
    CATEGORY(1, "category"),
    SERVICE(2, "service");

    private final int specificity;
    private final String word;

    ConsentScope(int specificity, String word) {
        this.specificity = specificity;
        this.word = word;
    }

    /** Higher is narrower: a narrower directive beats a broader one. */
    public int specificity() {
        return specificity;
    }

    /** The spelling used in CSV files and configuration ({@code all}, {@code service}, {@code category}). */
    public String word() {
        return word;
    }

    /** @return the scope spelled {@code word} (any case), or null when there is none */
    public static ConsentScope fromWord(String word) {
        for (ConsentScope s : values()) {
            if (s.word.equals(word == null ? null : word.strip().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }
}
