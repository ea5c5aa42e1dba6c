package org.ilinks.delivery;

import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.mllp.MllpApplicationErrorAcknowledgementException;
import org.apache.camel.component.mllp.MllpApplicationRejectAcknowledgementException;
import org.apache.camel.component.mllp.MllpCommitErrorAcknowledgementException;
import org.apache.camel.component.mllp.MllpCommitRejectAcknowledgementException;
import org.apache.camel.component.mllp.MllpInvalidAcknowledgementException;
import org.ilinks.message.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks a message that a service will not take: labels it with the reason, the service and the time, for the
 * service's dead-letter queue, where support staff find it and (later) replay it. The reason names the ACK code and
 * the attempts made, never the message content.
 */
public final class ParkingLot {

    private static final Logger LOG = LoggerFactory.getLogger(ParkingLot.class);

    private final org.ilinks.engine.MessageCounters counters;

    public ParkingLot(org.ilinks.engine.MessageCounters counters) {
        this.counters = counters;
    }

    public void label(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String service = exchange.getProperty(DeliveryProperties.SERVICE_ID, String.class);
        int attempts = exchange.getProperty(DeliveryProperties.ATTEMPTS, 1, Integer.class);
        String reason = reason(cause, attempts);
        Message in = exchange.getIn();
        in.setHeader(MessageHeaders.PARKED_REASON, reason);
        in.setHeader(MessageHeaders.PARKED_SERVICE, service);
        in.setHeader(MessageHeaders.PARKED_AT, Instant.now().toString());
        counters.parked(service, reason);
        LOG.warn("Message {} parked for service {}: {}", in.getHeader(MessageHeaders.MESSAGE_ID), service, reason);
    }

    /**
     * Labels a copy that is not sent because an earlier copy of its patient is parked for this service (whenParked:
     * hold-patient). The reason names that copy by its message id, which is not patient data.
     */
    public void waitingBehind(Exchange exchange) {
        String service = exchange.getProperty(DeliveryProperties.SERVICE_ID, String.class);
        String reason = waitingReason(exchange.getProperty(DeliveryProperties.WAITING_BEHIND, String.class));
        Message in = exchange.getIn();
        in.setHeader(MessageHeaders.PARKED_REASON, reason);
        in.setHeader(MessageHeaders.PARKED_SERVICE, service);
        in.setHeader(MessageHeaders.PARKED_AT, Instant.now().toString());
        counters.parked(service);
        LOG.warn("Message {} parked for service {}: {}", in.getHeader(MessageHeaders.MESSAGE_ID), service, reason);
    }

    public static String waitingReason(String blockingMessageId) {
        return "waiting behind parked message " + blockingMessageId;
    }

    static String reason(Exception cause, int attempts) {
        if (cause instanceof MllpApplicationRejectAcknowledgementException
                || cause instanceof MllpCommitRejectAcknowledgementException) {
            return "rejected by the service (ACK " + code(cause) + ")";
        }
        if (cause instanceof MllpApplicationErrorAcknowledgementException
                || cause instanceof MllpCommitErrorAcknowledgementException) {
            return "the service answered " + code(cause) + " on each of " + attempts + " attempts";
        }
        if (cause instanceof MllpInvalidAcknowledgementException) {
            return "the service's answer was not a valid HL7 ACK, on each of " + attempts + " attempts";
        }
        return "delivery failed on each of " + attempts + " attempts: "
                + (cause == null ? "unknown error" : cause.getClass().getSimpleName());
    }

    private static String code(Exception cause) {
        if (cause instanceof MllpApplicationRejectAcknowledgementException) {
            return "AR";
        }
        if (cause instanceof MllpApplicationErrorAcknowledgementException) {
            return "AE";
        }
        return cause instanceof MllpCommitRejectAcknowledgementException ? "CR" : "CE";
    }
}
