package org.ilinks.governance;

/** What governance decided for one message and one service. */
public enum Outcome {
    /** The service does not subscribe to this message (type, sender, practice or patient class). */
    NOT_SUBSCRIBED,
    /** Sent: a minimised copy goes on the service's queue. */
    SEND,
    /** Withheld for good: consent, protection or restricted data forbid it. Recorded; nothing is queued. */
    WITHHELD,
    /** Held back (no verified NHS number), on the service's held queue until support releases it. */
    HELD
}
