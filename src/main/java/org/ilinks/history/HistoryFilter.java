package org.ilinks.history;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * What to list from the message history. Every part is optional (null); those given must all hold. A service and a
 * status together mean that service's copy has that status.
 *
 * @param serviceId     a service the message was routed to (one with a decision recorded)
 * @param status        a {@link DeliveryStatus} name, or {@link #NOT_SUBSCRIBED} for messages no service subscribes to
 * @param from          received at or after
 * @param to            received before
 * @param messageType   {@code ADT} or {@code ADT^A08}
 * @param errorContains text in a service's last error or in the reason routing parked it (any case)
 * @param messageId     the engine's message id
 * @param unresolved    only messages failed or parked (for the given service, if any) and not since delivered
 */
public record HistoryFilter(String serviceId, String status, Instant from, Instant to, String messageType,
                            String errorContains, String messageId, boolean unresolved) {

    public static final String NOT_SUBSCRIBED = "NOT_SUBSCRIBED";

    public HistoryFilter {
        serviceId = blankToNull(serviceId);
        messageType = blankToNull(messageType);
        errorContains = blankToNull(errorContains);
        messageId = blankToNull(messageId);
        status = blankToNull(status);
        if (status != null) {
            status = status.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
            String s = status;
            if (!s.equals(NOT_SUBSCRIBED) && Arrays.stream(DeliveryStatus.values()).noneMatch(d -> d.name().equals(s))) {
                throw new IllegalArgumentException("unknown status: use one of "
                        + String.join(", ", Arrays.stream(DeliveryStatus.values()).map(Enum::name).toList())
                        + ", " + NOT_SUBSCRIBED);
            }
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("the time range is empty: 'from' must be before 'to'");
        }
    }

    /** Everything. */
    public static HistoryFilter all() {
        return new HistoryFilter(null, null, null, null, null, null, null, false);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
