package org.ilinks.intake;

import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditTrail;
import java.nio.charset.Charset;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpConstants;
import org.ilinks.hl7.Hl7Inspector;
import org.ilinks.hl7.Inspection;
import org.ilinks.hl7.MessageHeader;
import org.ilinks.hl7.Rejection;
import org.ilinks.message.MessageHeaders;
import org.ilinks.message.LogSafe;
import org.ilinks.message.MessageIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First step of intake: decides whether a received payload is an HL7 v2 message the engine can accept. An accepted
 * message gets its internal id and the routing facts as headers; a rejected one gets its AR ACK here and goes no
 * further ({@link #ACCEPTED} is false).
 */
public final class IntakeInspector implements Processor {

    /** Exchange property: true when the message passed inspection and should be stored. */
    public static final String ACCEPTED = "ilinksAccepted";
    static final String INSPECTION = "ilinksInspection";

    private static final Logger LOG = LoggerFactory.getLogger(IntakeInspector.class);

    private final Hl7Inspector inspector;
    private final IntakeAcknowledger acknowledger;

    private final AuditTrail audit;

    public IntakeInspector(Set<String> acceptedVersions, Charset defaultCharset, IntakeAcknowledger acknowledger,
                           AuditTrail audit) {
        this.inspector = new Hl7Inspector(acceptedVersions, defaultCharset);
        this.acknowledger = acknowledger;
        this.audit = audit;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getIn();
        byte[] raw = in.getBody(byte[].class);
        Inspection inspection = inspector.inspect(raw == null ? new byte[0] : raw);
        exchange.setProperty(INSPECTION, inspection);
        String from = in.getHeader(MllpConstants.MLLP_REMOTE_ADDRESS, "", String.class);
        MessageHeader msh = inspection.header();
        if (!inspection.accepted()) {
            exchange.setProperty(ACCEPTED, false);
            // The reason (in the AR's ERR segment) may quote a few characters of MSH; the log names only the code
            // and the place, in case a malformed message put something else where MSH fields were expected.
            Rejection r = inspection.rejection();
            LOG.warn("Rejected a message from {} (MSH-10 '{}'): {}", from, LogSafe.id(msh.controlId()), r.summary());
            acknowledger.rejected(exchange);
            try {
                audit.emitNow(java.util.List.of(audit.engineEvent(AuditEventType.REJECTED,
                        AuditEvent.MINOR_FAILURE, from, null, null, null, "AR " + r.summary() + " (MSH-10 "
                                + LogSafe.id(msh.controlId()) + ", " + (raw == null ? 0 : raw.length)
                                + " bytes)")));
            } catch (RuntimeException e) {
                // The AR goes out regardless: the sender must hear why. Only the record is missing, and that is said.
                LOG.error("Audit: the AR to {} (MSH-10 '{}') could not be recorded ({})", from,
                        LogSafe.id(msh.controlId()), e.getClass().getSimpleName());
            }
            return;
        }
        String id = MessageIds.next();
        exchange.setProperty(ACCEPTED, true);
        IntakeHeaders.of(id, System.currentTimeMillis(), from, inspection).forEach(in::setHeader);
        in.removeHeaders("CamelMllp*");
        LOG.debug("Accepted message {} ({}^{} from {}/{})", id, LogSafe.id(msh.messageType()), LogSafe.id(msh.triggerEvent()),
                LogSafe.id(msh.sendingApplication()), LogSafe.id(msh.sendingFacility()));
    }
}
