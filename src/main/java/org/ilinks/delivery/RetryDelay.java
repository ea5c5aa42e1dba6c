package org.ilinks.delivery;

import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditTrail;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ilinks.engine.MessageCounters;
import org.ilinks.history.FailureReason;
import org.ilinks.history.HistoryRecorder;
import org.ilinks.message.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs when a delivery attempt fails: logs it in one line and sets the wait before the next attempt from the
 * service's own backoff ({@code delivery.initialDelayMs}, {@code backoffMultiplier}, {@code maxDelayMs}). The failure
 * rules in {@code routes/delivery.yaml} are shared by every service, so the per-service wait travels on the exchange
 * and reaches Camel through its {@code CamelRedeliveryDelay} header.
 */
public final class RetryDelay implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RetryDelay.class);
    private static final int MAX_REASON = 160;

    private final AuditTrail audit;
    private final HistoryRecorder history;
    private final MessageCounters counters;

    public RetryDelay(AuditTrail audit, HistoryRecorder history, MessageCounters counters) {
        this.audit = audit;
        this.history = history;
        this.counters = counters;
    }

    @Override
    public void process(Exchange exchange) {
        // Camel has already counted the failed attempt when this runs (1 after the first delivery).
        int failed = Math.max(1, exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class));
        long delay = delayAfter(failed,
                exchange.getProperty(DeliveryProperties.INITIAL_DELAY_MS, 1000L, Long.class),
                exchange.getProperty(DeliveryProperties.BACKOFF_MULTIPLIER, 2.0, Double.class),
                exchange.getProperty(DeliveryProperties.MAX_DELAY_MS, 60_000L, Long.class));
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Delivery of message {} to service {} failed on attempt {}: {}",
                exchange.getIn().getHeader(MessageHeaders.MESSAGE_ID),
                exchange.getProperty(DeliveryProperties.SERVICE_ID), failed, describe(cause));
        history.attemptFailed(exchange);
        counters.failedAttempt(exchange.getProperty(DeliveryProperties.SERVICE_ID, String.class),
                FailureReason.of(cause));
        // Written with the delivery's own transaction, when it is finally delivered or parked.
        audit.add(exchange, audit.engineEvent(AuditEventType.DELIVERY_ATTEMPT, AuditEvent.MINOR_FAILURE, null,
                exchange.getProperty(AuditTrail.PATIENT, String.class),
                exchange.getIn().getHeader(MessageHeaders.MESSAGE_ID, String.class),
                exchange.getProperty(DeliveryProperties.SERVICE_ID, String.class),
                "attempt " + failed + " failed: " + describe(cause)));
    }

    /** The wait after the given failed attempt: initial × multiplier^(attempt-1), at most max. */
    static long delayAfter(int failedAttempt, long initialMs, double multiplier, long maxMs) {
        double delay = initialMs * Math.pow(Math.max(1.0, multiplier), Math.max(0, failedAttempt - 1));
        return (long) Math.min(delay, maxMs);
    }

    private static String describe(Exception cause) {
        if (cause == null) {
            return "unknown error";
        }
        // camel-mllp runs with logPhi=false, so its messages carry no message content; keep them short anyway.
        String text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) + "…" : text;
    }
}
