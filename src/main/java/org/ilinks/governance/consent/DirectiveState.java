package org.ilinks.governance.consent;

import java.time.Instant;
import java.time.LocalDate;

/** Where a directive stands at a moment, for people reading the registry ({@code ilinks consent show}). */
public enum DirectiveState {
    /** In effect: started, not past its last day, not ended. */
    OPEN("open"),
    /** Recorded with a first day still to come. */
    PENDING("pending"),
    /** Ended (withdrawn or replaced) by someone or by a message. */
    ENDED("ended"),
    /** Past its last day without being ended. */
    EXPIRED("expired");

    private final String word;

    DirectiveState(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The state at {@code at}, judged by the day it falls on in England as {@link ConsentDecider} judges it. */
    public static DirectiveState of(ConsentDirective d, Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ConsentDecider.ZONE);
        if (d.endedAt() != null && !at.isBefore(d.endedAt())) {
            return ENDED;
        }
        if (d.effectiveTo() != null && day.isAfter(d.effectiveTo())) {
            return EXPIRED;
        }
        return day.isBefore(d.effectiveFrom()) ? PENDING : OPEN;
    }
}
