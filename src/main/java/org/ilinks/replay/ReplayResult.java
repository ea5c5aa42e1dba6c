package org.ilinks.replay;

/** What replaying one message did for one service, in the engine's words (no patient data). */
public record ReplayResult(String serviceId, ReplayOutcome outcome, String detail) {

    static ReplayResult refused(String serviceId, String why) {
        return new ReplayResult(serviceId, ReplayOutcome.REFUSED, why);
    }
}
