package org.ilinks.replay;

/** What replaying a message to one service did. */
public enum ReplayOutcome {
    /** Not run yet. */
    PENDING,
    /** Governance allowed it again: the service's copy, cut with today's profile, is on its queue. */
    QUEUED,
    /** Governance stopped it today (consent, protection, restricted data): nothing was sent. */
    WITHHELD,
    /** Held again for an NHS number that is not verified. */
    HELD,
    /** Not replayed, and nothing changed: already delivered without force, still in flight, content gone... */
    REFUSED,
    /** The replay itself failed (governance could not be applied, the broker or database unavailable). */
    FAILED
}
