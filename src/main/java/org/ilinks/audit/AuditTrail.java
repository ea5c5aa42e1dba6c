package org.ilinks.audit;

import jakarta.jms.BytesMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.ilinks.delivery.DeliveryProperties;
import org.ilinks.message.LogSafe;
import org.ilinks.message.MessageHeaders;
import org.ilinks.message.MessageIds;
import org.springframework.jms.core.JmsOperations;

/**
 * The one place audit events are written from, named {@code auditTrail} by the routes. A step that takes part in a
 * hop adds its events to the exchange ({@link #add}); the route's last step ({@link #flush}) puts them, as one
 * message, on the persistent queue {@value #QUEUE} inside the route's own JMS transaction. So an event exists if and
 * only if the hop it describes committed: a rolled-back hop takes its events with it, a crash loses neither. The
 * {@link AuditWriter} then moves them into the chained audit table in batches. Events that belong to no hop (an AR
 * or AE at intake, a configuration loaded) go straight into the table ({@link #emitNow}).
 */
public final class AuditTrail {

    /** The queue between the hops and the audit table. */
    public static final String QUEUE = "ilinks.audit";
    /** Exchange property: the events a hop has collected so far. */
    public static final String PENDING = "ilinksAuditPending";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuditTrail.class);

    private final boolean enabled;
    private final String node;
    private final Clock clock;
    private final JmsOperations queue;
    private volatile AuditWriter.Appender outsideHops;

    /**
     * @param queue sends to the audit queue: a Spring {@link JmsOperations} on the routes' own connection factory, so
     *              that inside a hop it uses the session of the hop's transaction (and outside one, its own)
     */
    public AuditTrail(boolean enabled, String node, Clock clock, JmsOperations queue) {
        this.enabled = enabled;
        this.node = node;
        this.clock = clock;
        this.queue = queue;
    }

    /** Whether events are recorded at all (the setting ilinks.audit.enabled; off only to measure its cost). */
    public boolean enabled() {
        return enabled;
    }

    /** This engine's name: the source of every event and the actor of the engine's own. */
    public String node() {
        return node;
    }

    /** An event by the engine itself, stamped now. */
    public AuditEvent engineEvent(AuditEventType type, int outcome, String actorAddress, String nhsNumber,
                                  String messageId, String serviceId, String detail) {
        return new AuditEvent(MessageIds.next(), type, outcome, clock.instant(), AuditEvent.SYSTEM, node,
                actorAddress, node, nhsNumber, messageId, serviceId, detail);
    }

    /** Adds an event to the hop the exchange is making; it is written when the route flushes. */
    @SuppressWarnings("unchecked")
    public void add(Exchange exchange, AuditEvent event) {
        if (!enabled) {
            return;
        }
        List<AuditEvent> pending = exchange.getProperty(PENDING, List.class);
        if (pending == null) {
            pending = new ArrayList<>();
            exchange.setProperty(PENDING, pending);
        }
        pending.add(event);
    }

    /** Exchange property the delivery steps set: the patient a queued copy is about, for the delivery's events. */
    public static final String PATIENT = "ilinksAuditPatient";

    /** Routing took a message off the intake queue: the event of its receipt (sender, transport, size). */
    public void received(Exchange exchange) {
        org.apache.camel.Message in = exchange.getIn();
        byte[] body = in.getBody(byte[].class);
        Long at = in.getHeader(MessageHeaders.RECEIVED_AT, Long.class);
        AuditEvent e = new AuditEvent(MessageIds.next(), AuditEventType.RECEIVED, AuditEvent.SUCCESS,
                at == null ? clock.instant() : java.time.Instant.ofEpochMilli(at), AuditEvent.SYSTEM,
                node, in.getHeader(MessageHeaders.RECEIVED_FROM, String.class), node, null,
                in.getHeader(MessageHeaders.MESSAGE_ID, String.class), null,
                transport(in) + ", " + (body == null ? 0 : body.length) + " bytes, "
                        + LogSafe.id(in.getHeader(MessageHeaders.MESSAGE_TYPE, "", String.class)) + "^"
                        + LogSafe.id(in.getHeader(MessageHeaders.TRIGGER_EVENT, "", String.class)) + " from "
                        + LogSafe.id(in.getHeader(MessageHeaders.SENDING_FACILITY, "", String.class)));
        add(exchange, e);
    }

    /** MLLP, or the practice file a record came in (its name is the practice's, never patient data). */
    private static String transport(org.apache.camel.Message in) {
        String from = in.getHeader(MessageHeaders.RECEIVED_FROM, "", String.class);
        if (!from.startsWith("sftp:")) {
            return "MLLP";
        }
        String[] practiceAndFile = from.substring(5).split("/", 2);
        return "SFTP file " + LogSafe.id(practiceAndFile[0]) + "/"
                + LogSafe.id(practiceAndFile.length > 1 ? practiceAndFile[1] : "");
    }

    /** A re-sent message: ACKed, not routed again. */
    public void duplicate(Exchange exchange) {
        add(exchange, engineEvent(AuditEventType.DUPLICATE, AuditEvent.SUCCESS, null, null,
                exchange.getIn().getHeader(MessageHeaders.MESSAGE_ID, String.class), null,
                "same MSH-3, MSH-4 and MSH-10 as a message received earlier: not routed again"));
    }

    /** The service has the copy: delivered, with its ACK code when it answered one. */
    public void delivered(Exchange exchange) {
        String ack = exchange.getMessage().getHeader(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, String.class);
        add(exchange, engineEvent(AuditEventType.DELIVERED, AuditEvent.SUCCESS, null,
                exchange.getProperty(PATIENT, String.class),
                exchange.getMessage().getHeader(MessageHeaders.MESSAGE_ID, String.class),
                exchange.getProperty(DeliveryProperties.SERVICE_ID, String.class),
                messageType(exchange) + " delivered by "
                        + exchange.getProperty(DeliveryProperties.ENDPOINT_KIND, String.class)
                        + (ack == null ? "" : ", ACK " + ack)));
    }

    private static String messageType(Exchange exchange) {
        org.apache.camel.Message m = exchange.getMessage();
        return LogSafe.id(m.getHeader(MessageHeaders.MESSAGE_TYPE, "", String.class)) + "^"
                + LogSafe.id(m.getHeader(MessageHeaders.TRIGGER_EVENT, "", String.class));
    }

    /** The copy was parked for support, with the reason. */
    public void parked(Exchange exchange) {
        add(exchange, engineEvent(AuditEventType.PARKED, AuditEvent.SERIOUS_FAILURE, null,
                exchange.getProperty(PATIENT, String.class),
                exchange.getMessage().getHeader(MessageHeaders.MESSAGE_ID, String.class),
                exchange.getProperty(DeliveryProperties.SERVICE_ID, String.class),
                exchange.getMessage().getHeader(MessageHeaders.PARKED_REASON, String.class)));
    }

    /** Writes the hop's events as one message on the audit queue, in the calling thread's transaction if it has one. */
    @SuppressWarnings("unchecked")
    public void flush(Exchange exchange) {
        List<AuditEvent> pending = exchange.getProperty(PENDING, List.class);
        if (pending == null || pending.isEmpty()) {
            return;
        }
        send(AuditEventCodec.encode(pending));
        exchange.removeProperty(PENDING);
    }

    /**
     * Writes events that belong to work outside a Camel route but inside a JMS transaction the caller holds (a
     * replay): they are recorded if and only if that transaction commits.
     */
    public void sendInTransaction(List<AuditEvent> events) {
        if (enabled && !events.isEmpty()) {
            send(AuditEventCodec.encode(events));
        }
    }

    /**
     * Writes events at once, outside any hop (a rejection at intake, a configuration loaded): straight into the audit
     * table, durable when this returns. There is no hop transaction to join, so the queue would add nothing but a
     * dependence on the broker, and an AR or AE must not wait on a broker that is down.
     *
     * @throws RuntimeException when the table cannot take them
     */
    public void emitNow(List<AuditEvent> events) {
        if (!enabled || events.isEmpty()) {
            return;
        }
        AuditWriter.Appender table = outsideHops;
        if (table == null) {
            send(AuditEventCodec.encode(events));
            return;
        }
        try {
            table.append(events);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("audit events could not be recorded: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Where {@link #emitNow} writes: the audit table itself (until set, the audit queue). */
    public void writeOutsideHopsTo(AuditWriter.Appender table) {
        this.outsideHops = table;
    }

    /**
     * Intake could not store a message (broker unavailable) and answered AE: recorded at once in the audit table,
     * since there is no hop to carry it. Nothing of the message was kept; the sender sends it again.
     */
    public void notStored(Exchange exchange) {
        org.apache.camel.Message in = exchange.getIn();
        byte[] body = in.getBody(byte[].class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        try {
            emitNow(List.of(engineEvent(AuditEventType.REJECTED, AuditEvent.MINOR_FAILURE,
                    in.getHeader(MessageHeaders.RECEIVED_FROM, String.class), null,
                    in.getHeader(MessageHeaders.MESSAGE_ID, String.class), null,
                    "AE not stored (" + (cause == null ? "unknown cause" : cause.getClass().getSimpleName())
                            + "): the sender must send it again (MSH-10 "
                            + LogSafe.id(in.getHeader(MessageHeaders.CONTROL_ID, "", String.class)) + ", "
                            + (body == null ? 0 : body.length) + " bytes)")));
        } catch (Exception e) {
            // The AE goes out regardless: the sender must hear it. Only the record is missing, and that is said.
            LOG.error("Audit: the AE for message {} could not be recorded ({})",
                    in.getHeader(MessageHeaders.MESSAGE_ID), e.getClass().getSimpleName());
        }
    }

    private void send(byte[] body) {
        // Straight through Spring's JmsTemplate, as Camel's own JMS producer does underneath: a Camel exchange and
        // producer for each hop's one audit message cost more than the send itself. A new message: none of the hop's
        // headers (the patient group above all) travel with it.
        queue.send(QUEUE, session -> {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(body);
            return message;
        });
    }
}
