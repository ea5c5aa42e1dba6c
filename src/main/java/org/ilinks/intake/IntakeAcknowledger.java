package org.ilinks.intake;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.ilinks.hl7.AckBuilder;
import org.ilinks.hl7.Inspection;
import org.ilinks.hl7.MessageHeader;
import org.ilinks.hl7.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the ACK intake sends back: AA once the message is safely in the broker, AR with an ERR segment when it
 * cannot be accepted, AE when it could not be stored (the sender should send it again).
 */
public final class IntakeAcknowledger {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeAcknowledger.class);

    private final AckBuilder acks;
    private final org.ilinks.engine.MessageCounters counters;

    public IntakeAcknowledger(AckBuilder acks, org.ilinks.engine.MessageCounters counters) {
        this.acks = acks;
        this.counters = counters;
    }

    /** The message is durably stored: tell the sender. */
    public void accepted(Exchange exchange) {
        counters.received();
        answer(exchange, "AA", "Message accepted", null);
    }

    public void rejected(Exchange exchange) {
        counters.rejected();
        Inspection inspection = exchange.getProperty(IntakeInspector.INSPECTION, Inspection.class);
        Rejection rejection = inspection.rejection();
        answer(exchange, "AR", rejection.reason(), rejection);
    }

    /** Storing failed (broker unavailable): nothing was kept, the sender must retry. */
    public void storeFailed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Message {} could not be stored, answered AE: {}",
                exchange.getIn().getHeader(org.ilinks.message.MessageHeaders.MESSAGE_ID),
                cause == null ? "unknown cause" : shortly(cause));
        answer(exchange, "AE", "Message not stored: the engine's queue is unavailable; send it again", null);
    }

    /** The broker's exception in a few words: it names queues and timeouts, never message content. */
    private static String shortly(Exception cause) {
        String text = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private void answer(Exchange exchange, String code, String text, Rejection rejection) {
        Inspection inspection = exchange.getProperty(IntakeInspector.INSPECTION, Inspection.class);
        MessageHeader msh = inspection == null ? null : inspection.header();
        Charset charset = inspection == null ? StandardCharsets.UTF_8 : inspection.charset();
        String ack = acks.build(msh, code, text, rejection);
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, ack.getBytes(charset));
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, code);
    }
}
