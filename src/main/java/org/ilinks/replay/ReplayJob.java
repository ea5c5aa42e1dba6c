package org.ilinks.replay;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A replay request and how far it has got.
 *
 * @param selection     what was selected, in words (ids or a filter; never patient data)
 * @param targetService the one service replayed to, or null for every service that subscribes
 * @param counts        items per outcome so far
 * @param items         each message and service, in order; empty when listed without them
 */
public record ReplayJob(String jobId, String requestedBy, Instant requestedAt, String reason, String selection,
                        String targetService, boolean force, int ratePerSecond, State state, String stateReason,
                        Instant updatedAt, int messages, int messagesDone, Map<ReplayOutcome, Integer> counts,
                        List<Item> items) {

    /** RUNNING, STOPPED (resumable) or DONE. */
    public enum State { RUNNING, STOPPED, DONE }

    /** One message to one service (service null while the message waits to run to every subscribing service). */
    public record Item(int seq, String messageId, String serviceId, ReplayOutcome outcome, String detail,
                       Instant doneAt) {
    }
}
