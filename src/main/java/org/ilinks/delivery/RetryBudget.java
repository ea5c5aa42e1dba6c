package org.ilinks.delivery;

import org.apache.camel.Exchange;

/**
 * How many times a message the service answers AE (or with something that is not an ACK) is tried before it is
 * parked: the service's {@code delivery.maxAttempts}, which the delivery template puts on the exchange. A service that
 * cannot be reached at all is not counted against this: it keeps its queue and is retried until it is back.
 *
 * <p>Only answered tries are counted, here, rather than Camel's redelivery counter: that counter also counts the tries
 * made while the service was unreachable, so after an outage longer than maxAttempts tries the first AE would park
 * the message at once.
 */
public final class RetryBudget {

    /** The failure last counted, so that asking twice about one failure does not count it twice. */
    private static final String COUNTED = "ilinksAnsweredFailureCounted";

    public boolean allowsAnotherAttempt(Exchange exchange) {
        int max = exchange.getProperty(DeliveryProperties.MAX_ATTEMPTS, 5, Integer.class);
        Exception failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int made = exchange.getProperty(DeliveryProperties.ATTEMPTS, 0, Integer.class);
        if (failure == null || exchange.getProperty(COUNTED) != failure) {
            made++;
            exchange.setProperty(COUNTED, failure);
        }
        // Kept on the exchange for the parking step, which names the attempts made in its reason.
        exchange.setProperty(DeliveryProperties.ATTEMPTS, Math.max(1, made));
        return made < max;
    }
}
