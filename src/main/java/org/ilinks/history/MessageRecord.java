package org.ilinks.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * One message's row in {@code message_record}: its MSH facts, how routing ended and its content as stored
 * (encrypted or not). Written once, by routing; see {@link HistoryRecorder#arrival}.
 */
public record MessageRecord(String messageId, Instant receivedAt, Instant routedAt, String messageType,
                            String triggerEvent, String sendingApplication, String sendingFacility, String controlId,
                            String version, Routing routing, String routingReason, int contentSize, byte[] content,
                            String contentKey) {

    /** How routing ended for the message as a whole. */
    public enum Routing {
        /** One or more services subscribe: their rows in routing_decision say the rest. */
        ROUTED,
        /** No service subscribes to it. */
        NO_SUBSCRIBER,
        /** Governance could not be applied; the message is on ilinks.intake.parked. */
        PARKED
    }

    /**
     * Inserts the row. {@code again} (the message was routed before and that attempt rolled back after this row
     * was committed, or not) inserts only when there is none: the content and MSH facts of one message id never
     * change, so the first row is as good as a new one.
     */
    public void write(Connection c, boolean again) throws SQLException {
        if (again) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM message_record WHERE message_id = ?")) {
                ps.setString(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO message_record (message_id, received_at, "
                + "routed_at, message_type, trigger_event, sending_application, sending_facility, control_id, "
                + "hl7_version, routing, routing_reason, content_size, content, content_key) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, messageId);
            ps.setObject(2, receivedAt.atOffset(ZoneOffset.UTC));
            ps.setObject(3, routedAt.atOffset(ZoneOffset.UTC));
            ps.setString(4, cut(messageType, 16));
            ps.setString(5, cut(triggerEvent, 16));
            ps.setString(6, cut(sendingApplication, 100));
            ps.setString(7, cut(sendingFacility, 100));
            ps.setString(8, cut(controlId, 100));
            ps.setString(9, cut(version, 16));
            ps.setString(10, routing.name());
            ps.setString(11, routingReason == null ? null : cut(routingReason, 300));
            ps.setInt(12, contentSize);
            ps.setBytes(13, content);
            ps.setString(14, contentKey);
            ps.executeUpdate();
        }
    }

    private static String cut(String text, int max) {
        String t = text == null ? "" : text;
        return t.length() <= max ? t : t.substring(0, max);
    }
}
