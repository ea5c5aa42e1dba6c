package org.ilinks.history;

import java.time.Instant;
import java.util.List;

/**
 * A message in the history, without its content: MSH facts, how routing ended, whether its content is still kept,
 * and each subscribing service's state. Services that do not subscribe have no state.
 */
public record MessageSummary(String messageId, Instant receivedAt, Instant routedAt, String messageType,
                             String triggerEvent, String sendingApplication, String sendingFacility, String controlId,
                             String version, MessageRecord.Routing routing, String routingReason, int contentSize,
                             boolean contentKept, boolean contentEncrypted, Instant contentRemovedAt,
                             List<ServiceState> services) {

    public MessageSummary {
        services = List.copyOf(services);
    }

    /** Failed or parked for some service (or parked at routing), and not since delivered or replayed. */
    public boolean unresolved() {
        return routing == MessageRecord.Routing.PARKED
                || services.stream().anyMatch(s -> DeliveryStatus.UNRESOLVED.contains(s.status()));
    }

    MessageSummary withServices(List<ServiceState> states) {
        return new MessageSummary(messageId, receivedAt, routedAt, messageType, triggerEvent, sendingApplication,
                sendingFacility, controlId, version, routing, routingReason, contentSize, contentKept,
                contentEncrypted, contentRemovedAt, states);
    }
}
