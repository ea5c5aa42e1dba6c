package org.ilinks.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.ilinks.message.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the message history from the hops, named {@code history} by the routes. Routing stores each message's
 * record and content once ({@link #arrival}, in the transaction of its governance decisions); delivery moves each
 * service's row on: a failed attempt, delivered, parked.
 *
 * <p>These are database writes outside the JMS transaction of the hop, so a hop may run again after its write was
 * committed (a crash or broker failure before the JMS commit; the broker then redelivers). That is safe because
 * every delivery write only moves a status forward: it applies to a row still queued or failed
 * ({@link DeliveryStatus#IN_FLIGHT}), so a repeated or late write never takes a delivered or parked copy back. Attempts
 * are counted by adding one per attempt actually made; a redelivered hop makes its attempts again, so counting them
 * again is the truth, not a double count.
 *
 * <p>Delivery-side writes are best effort: when the database cannot take one, one WARN line says so and the delivery
 * goes on. The service has (or has refused) the message by then; holding its queue for a history row would stop
 * every patient's messages to it, and the audit trail, written in the hop's own transaction, still has the hop.
 */
public final class HistoryRecorder {

    /** Exchange property: the failure already counted as an attempt, so parking does not count it twice. */
    static final String COUNTED_FAILURE = "ilinksHistoryCountedFailure";
    private static final String SERVICE_ID = "ilinksServiceId";
    /** The delivery route's property naming the parked copy a copy waits behind (DeliveryProperties). */
    private static final String WAITING_BEHIND = "ilinksWaitingBehind";

    private static final Logger LOG = LoggerFactory.getLogger(HistoryRecorder.class);

    private final DataSource dataSource;
    private final ContentCipher cipher;
    private final Clock clock;
    private final GroupCommit deliveries;

    public HistoryRecorder(DataSource dataSource, ContentCipher cipher, Clock clock) {
        this.dataSource = dataSource;
        this.cipher = cipher;
        this.clock = clock;
        // A copy the database says is parked but the broker delivered again (the hop that parked it rolled back
        // after writing here) was delivered after all.
        String from = "status IN ('QUEUED', 'FAILED', 'PARKED', 'REPLAYED')";
        this.deliveries = new GroupCommit(dataSource, "UPDATE routing_decision SET attempts = attempts + 1, "
                + "last_attempt_at = ?, delivered_at = CASE WHEN " + from + " THEN ? ELSE delivered_at END, "
                + "status_at = CASE WHEN " + from + " THEN ? ELSE status_at END, "
                + "status = CASE WHEN " + from + " THEN 'DELIVERED' ELSE status END "
                + "WHERE message_id = ? AND service_id = ?");
    }

    /**
     * The message's history record, from the facts intake put on it and its content as received, for routing to
     * write with its decisions.
     */
    public MessageRecord arrival(Message in, byte[] raw, MessageRecord.Routing routing, String reason, Instant at) {
        String messageId = in.getHeader(MessageHeaders.MESSAGE_ID, String.class);
        Long receivedAt = in.getHeader(MessageHeaders.RECEIVED_AT, Long.class);
        return new MessageRecord(messageId, receivedAt == null ? at : Instant.ofEpochMilli(receivedAt), at,
                in.getHeader(MessageHeaders.MESSAGE_TYPE, String.class),
                in.getHeader(MessageHeaders.TRIGGER_EVENT, String.class),
                in.getHeader(MessageHeaders.SENDING_APPLICATION, String.class),
                in.getHeader(MessageHeaders.SENDING_FACILITY, String.class),
                in.getHeader(MessageHeaders.CONTROL_ID, String.class),
                in.getHeader(MessageHeaders.VERSION, String.class),
                routing, reason, raw.length, cipher.seal(messageId, raw), cipher.fingerprint());
    }

    /** A message governance could not be applied to: recorded on its own, as it has no decisions. */
    public void parkedAtRouting(Message in, byte[] raw, String reason, Instant at) {
        MessageRecord record = arrival(in, raw, MessageRecord.Routing.PARKED, reason, at);
        try (Connection c = dataSource.getConnection()) {
            record.write(c, true);
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the history of message " + record.messageId()
                    + ": SQLState " + e.getSQLState(), e);
        }
    }

    /** The message type a parked row of a delimited extract is recorded with (it has no MSH). */
    public static final String EXTRACT_ROW = "EXTRACT";

    /**
     * A row of a delimited extract that could not be read, parked at routing: recorded like a message so that
     * support finds it (with its practice, file and line) and can correct and replay it. Its content is the mapping's
     * header line and the row, a one-row extract.
     */
    public void parkedExtractRow(String messageId, String ods, String fileName, int line, byte[] headerAndRow,
                                 String reason) {
        Instant now = clock.instant();
        String control = (fileName.length() > 80 ? fileName.substring(0, 80) : fileName) + "#" + line;
        MessageRecord record = new MessageRecord(messageId, now, now, EXTRACT_ROW, "ROW", "extract", ods, control, "",
                MessageRecord.Routing.PARKED, cut(reason), headerAndRow.length, cipher.seal(messageId, headerAndRow),
                cipher.fingerprint());
        try (Connection c = dataSource.getConnection()) {
            record.write(c, true);
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the parked row " + messageId + ": SQLState "
                    + e.getSQLState(), e);
        }
    }

    /** A delivery attempt failed (the service answered AE or AR, or could not be reached); it may be retried. */
    public void attemptFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.setProperty(COUNTED_FAILURE, cause);
        update(exchange, "failed attempt", "UPDATE routing_decision SET attempts = attempts + 1, last_error = ?, "
                        + "last_attempt_at = ?, " + moveTo(DeliveryStatus.FAILED)
                        + " WHERE message_id = ? AND service_id = ?",
                FailureReason.of(cause), now(), now());
    }

    /** The service has the message. Written together with other consumers' deliveries (see {@link GroupCommit}). */
    public void delivered(Exchange exchange) {
        String messageId = exchange.getIn().getHeader(MessageHeaders.MESSAGE_ID, String.class);
        String serviceId = exchange.getProperty(SERVICE_ID, String.class);
        if (messageId == null || serviceId == null) {
            return;
        }
        Object at = now();
        try {
            deliveries.write(at, at, at, messageId, serviceId);
        } catch (SQLException | RuntimeException e) {
            warn("delivery", messageId, serviceId, e);
        }
    }

    /** The message was parked on the service's parked queue, with the reason in its header. */
    public void parked(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // An AR parks at once, without the failed-attempt step: that attempt is counted here.
        int uncounted = cause != null && exchange.getProperty(COUNTED_FAILURE) == cause ? 0 : 1;
        String reason = exchange.getIn().getHeader(MessageHeaders.PARKED_REASON, String.class);
        // The patient group lets the engine know, at its next start, whom this copy holds back (whenParked:
        // hold-patient); a copy that waited behind another before and is parked now for itself waits no more.
        update(exchange, "parking", "UPDATE routing_decision SET attempts = attempts + " + uncounted + ", "
                        + "last_error = ?, last_attempt_at = ?, " + whenInFlight("patient_group", "?") + ", "
                        + whenInFlight("waiting_behind", "NULL") + ", " + moveTo(DeliveryStatus.PARKED)
                        + " WHERE message_id = ? AND service_id = ?",
                reason == null ? FailureReason.of(cause)
                        : cut(cause == null ? reason : reason + " (" + FailureReason.classes(cause) + ")"),
                now(), exchange.getIn().getHeader(MessageHeaders.PATIENT_GROUP, String.class), now());
    }

    /**
     * The copy was not sent but parked behind an earlier parked copy of its patient (whenParked: hold-patient). No
     * attempt was made, so none is counted.
     */
    public void parkedBehind(Exchange exchange) {
        String blocker = exchange.getProperty(WAITING_BEHIND, String.class);
        update(exchange, "parking", "UPDATE routing_decision SET "
                        + whenInFlight("last_error", "?") + ", " + whenInFlight("waiting_behind", "?") + ", "
                        + whenInFlight("patient_group", "?") + ", " + moveTo(DeliveryStatus.PARKED)
                        + " WHERE message_id = ? AND service_id = ?",
                exchange.getIn().getHeader(MessageHeaders.PARKED_REASON, String.class), blocker,
                exchange.getIn().getHeader(MessageHeaders.PATIENT_GROUP, String.class), now());
    }

    /** A SET clause giving a column a value only on a row still in flight, as {@link #moveTo} moves the status. */
    private static String whenInFlight(String column, String value) {
        return column + " = CASE WHEN status IN (" + DeliveryStatus.sqlList(DeliveryStatus.IN_FLIGHT) + ") THEN "
                + value + " ELSE " + column + " END";
    }

    /** SET clauses moving an in-flight row to the given status; other rows keep theirs. One parameter: the time. */
    private static String moveTo(DeliveryStatus status) {
        String inFlight = "status IN (" + DeliveryStatus.sqlList(DeliveryStatus.IN_FLIGHT) + ")";
        return "status_at = CASE WHEN " + inFlight + " THEN ? ELSE status_at END, "
                + "status = CASE WHEN " + inFlight + " THEN '" + status.name() + "' ELSE status END";
    }

    private void update(Exchange exchange, String what, String sql, Object... leading) {
        String messageId = exchange.getIn().getHeader(MessageHeaders.MESSAGE_ID, String.class);
        String serviceId = exchange.getProperty(SERVICE_ID, String.class);
        if (messageId == null || serviceId == null) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object value : leading) {
                ps.setObject(i++, value);
            }
            ps.setString(i++, messageId);
            ps.setString(i, serviceId);
            ps.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            warn(what, messageId, serviceId, e);
        }
    }

    private static void warn(String what, String messageId, String serviceId, Exception e) {
        LOG.warn("Message history: the {} of message {} to service {} could not be recorded: {}", what, messageId,
                serviceId, e instanceof SQLException s ? "SQLState " + s.getSQLState() : e.getClass().getSimpleName());
    }

    private Object now() {
        return utc(clock.instant());
    }

    private static Object utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static String cut(String text) {
        return text.length() <= 300 ? text : text.substring(0, 299) + "\u2026";
    }
}
