package org.ilinks.delivery;

import org.apache.camel.Exchange;

/**
 * How many times a message the service answers AE (or with something that is not an ACK) is tried before it is
 * parked: the service's {@code delivery.maxAttempts}, which the delivery template puts on the exchange. A service that
 * cannot be reached at all is not counted against this: it keeps its queue and is retried until it is back.
 */
public final class RetryBudget {

    public boolean allowsAnotherAttempt(Exchange exchange) {
        int max = exchange.getProperty(DeliveryProperties.MAX_ATTEMPTS, 5, Integer.class);
        // Camel has already counted the attempt that just failed when it asks (1 after the first delivery).
        int made = Math.max(1, exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class));
        // Kept on the exchange for the parking step, which names the attempts made in its reason.
        exchange.setProperty(DeliveryProperties.ATTEMPTS, made);
        return made < max;
    }
}
