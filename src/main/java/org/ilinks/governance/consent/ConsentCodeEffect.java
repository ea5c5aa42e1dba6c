package org.ilinks.governance.consent;

/** What a consent code found in a message does to the registry. */
public enum ConsentCodeEffect {
    START_DISSENT(ConsentChoice.DISSENT, true),
    END_DISSENT(ConsentChoice.DISSENT, false),
    START_CONSENT(ConsentChoice.CONSENT, true),
    END_CONSENT(ConsentChoice.CONSENT, false);

    private final ConsentChoice choice;
    private final boolean starts;

    ConsentCodeEffect(ConsentChoice choice, boolean starts) {
        this.choice = choice;
        this.starts = starts;
    }

    /** The kind of directive it starts or ends. */
    public ConsentChoice choice() {
        return choice;
    }

    /** True when it records a new directive, false when it ends open ones. */
    public boolean starts() {
        return starts;
    }
}
