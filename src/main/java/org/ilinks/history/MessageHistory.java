package org.ilinks.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.ilinks.message.MessageIds;

/**
 * The message history's questions, for the CLI and the admin API alike: list messages by filter, newest first (by
 * message id, which begins with the time intake accepted the message), a page at a time; show one message's metadata
 * and per-service states. Neither returns content: the one way to read a message's content is
 * {@link #revealPatientContent}, whose callers must record who asked and why first.
 */
public final class MessageHistory {

    /** A page of messages, newest first, and whether older ones match too. */
    public record Page(List<MessageSummary> messages, int page, int pageSize, boolean more) {
    }

    private static final String RECORD_COLUMNS = "m.message_id, m.received_at, m.routed_at, m.message_type, "
            + "m.trigger_event, m.sending_application, m.sending_facility, m.control_id, m.hl7_version, m.routing, "
            + "m.routing_reason, m.content_size, CASE WHEN m.content IS NULL THEN 0 ELSE 1 END, m.content_key, "
            + "m.content_removed_at";
    private static final String UNRESOLVED = DeliveryStatus.sqlList(DeliveryStatus.UNRESOLVED);

    private final DataSource dataSource;
    private final ContentCipher cipher;

    public MessageHistory(DataSource dataSource, ContentCipher cipher) {
        this.dataSource = dataSource;
        this.cipher = cipher;
    }

    /**
     * @param page     0 for the newest
     * @param pageSize 1 to 1000
     */
    public Page list(HistoryFilter filter, int page, int pageSize) {
        if (page < 0 || pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("page must be 0 or more and page size between 1 and 1000");
        }
        List<Object> values = new ArrayList<>();
        String where = where(filter, values);
        String sql = "SELECT " + RECORD_COLUMNS + " FROM message_record m" + where
                + " ORDER BY m.message_id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY";
        values.add((long) page * pageSize);
        values.add(pageSize + 1);
        try (Connection c = dataSource.getConnection()) {
            List<MessageSummary> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, values);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(summary(rs));
                    }
                }
            }
            boolean more = found.size() > pageSize;
            List<MessageSummary> shown = more ? found.subList(0, pageSize) : found;
            return new Page(withServices(c, shown), page, pageSize, more);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** One message's metadata and every subscribing service's state; empty when the id is not in the history. */
    public Optional<MessageSummary> show(String messageId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + RECORD_COLUMNS
                     + " FROM message_record m WHERE m.message_id = ?")) {
            ps.setString(1, messageId);
            MessageSummary found = null;
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    found = summary(rs);
                }
            }
            return found == null ? Optional.empty() : Optional.of(withServices(c, List.of(found)).get(0));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Content as text: UTF-8 when the bytes are valid UTF-8 (also plain ASCII), else ISO-8859-1, which shows every byte. */
    public static String readable(byte[] content) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(content))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(content, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * REVEALS PATIENT DATA: the message as received (decrypted when it was stored encrypted). Empty when the message
     * is not in the history or its content has been removed by retention. Call only after recording the person's
     * request and purpose in the audit trail ({@link org.ilinks.audit.PersonActions}).
     *
     * @throws IllegalStateException when it cannot be decrypted with the configured key
     */
    public Optional<byte[]> revealPatientContent(String messageId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT content, content_key FROM message_record "
                     + "WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getBytes(1) == null) {
                    return Optional.empty();
                }
                return Optional.of(cipher.open(messageId, rs.getBytes(1), rs.getString(2)));
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The NHS number governance decided on for a message, for the audit record of who looked at it; or null. */
    public String patientOf(String messageId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT nhs_number FROM routing_decision WHERE message_id = ? "
                     + "AND nhs_number IS NOT NULL FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * The copies for a service parked behind the parked copy {@code messageId} (whenParked: hold-patient) and still
     * parked, in the order the engine received them: what replay sends after that copy, so the patient's order holds.
     */
    public List<String> waitingBehind(String serviceId, String messageId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT message_id FROM routing_decision WHERE waiting_behind = ?"
                     + " AND service_id = ? AND status = 'PARKED' ORDER BY message_id")) {
            ps.setString(1, messageId);
            ps.setString(2, serviceId);
            List<String> waiting = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    waiting.add(rs.getString(1));
                }
            }
            return waiting;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static String where(HistoryFilter f, List<Object> values) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        // Message ids begin with the time intake accepted the message: a time range is a range of ids.
        if (f.from() != null) {
            where.append(" AND m.message_id >= ?");
            values.add(MessageIds.timePrefix(f.from()));
        }
        if (f.to() != null) {
            where.append(" AND m.message_id < ?");
            values.add(MessageIds.timePrefix(f.to()));
        }
        if (f.messageId() != null) {
            where.append(" AND m.message_id = ?");
            values.add(f.messageId());
        }
        if (f.messageType() != null) {
            String[] parts = f.messageType().toUpperCase(Locale.ROOT).split("\\^", 3);
            where.append(" AND m.message_type = ?");
            values.add(parts[0]);
            if (parts.length > 1 && !parts[1].isEmpty()) {
                where.append(" AND m.trigger_event = ?");
                values.add(parts[1]);
            }
        }
        if (HistoryFilter.NOT_SUBSCRIBED.equals(f.status())) {
            if (f.serviceId() == null) {
                where.append(" AND m.routing = 'NO_SUBSCRIBER'");
            } else {
                where.append(" AND NOT EXISTS (SELECT 1 FROM routing_decision d WHERE d.message_id = m.message_id "
                        + "AND d.service_id = ?)");
                values.add(f.serviceId());
            }
            return where.toString();
        }
        if (f.serviceId() == null && f.status() == null && !f.unresolved() && f.errorContains() == null) {
            return where.toString();
        }
        // A service's row matches...
        StringBuilder row = new StringBuilder("EXISTS (SELECT 1 FROM routing_decision d WHERE d.message_id = m.message_id");
        List<Object> rowValues = new ArrayList<>();
        if (f.serviceId() != null) {
            row.append(" AND d.service_id = ?");
            rowValues.add(f.serviceId());
        }
        if (f.status() != null) {
            row.append(" AND d.status = ?");
            rowValues.add(f.status());
        }
        if (f.unresolved()) {
            row.append(" AND d.status IN (").append(UNRESOLVED).append(")");
        }
        if (f.errorContains() != null) {
            row.append(" AND LOWER(d.last_error) LIKE ? ESCAPE '\\'");
            rowValues.add(contains(f.errorContains()));
        }
        row.append(")");
        // ...or, with no service named, the message was parked at routing (parked and unresolved, with its reason).
        boolean parkedAtRoutingMatches = f.serviceId() == null
                && (f.status() == null || f.status().equals(DeliveryStatus.PARKED.name()));
        if (parkedAtRoutingMatches) {
            where.append(" AND (").append(row).append(" OR (m.routing = 'PARKED'");
            values.addAll(rowValues);
            if (f.errorContains() != null) {
                where.append(" AND LOWER(m.routing_reason) LIKE ? ESCAPE '\\'");
                values.add(contains(f.errorContains()));
            }
            where.append("))");
        } else {
            where.append(" AND ").append(row);
            values.addAll(rowValues);
        }
        return where.toString();
    }

    private static String contains(String text) {
        String escaped = text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }

    private List<MessageSummary> withServices(Connection c, List<MessageSummary> messages) throws SQLException {
        if (messages.isEmpty()) {
            return messages;
        }
        Map<String, List<ServiceState>> byMessage = new LinkedHashMap<>();
        messages.forEach(m -> byMessage.put(m.messageId(), new ArrayList<>()));
        String marks = String.join(", ", Collections.nCopies(messages.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT message_id, service_id, status, outcome, reason_code, "
                + "reason, changes, stage, decided_at, attempts, last_error, last_attempt_at, delivered_at, status_at "
                + "FROM routing_decision WHERE message_id IN (" + marks + ") ORDER BY message_id, service_id")) {
            int i = 1;
            for (String id : byMessage.keySet()) {
                ps.setString(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byMessage.get(rs.getString(1)).add(new ServiceState(rs.getString(2),
                            DeliveryStatus.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), instant(rs, 9), rs.getInt(10),
                            rs.getString(11), instant(rs, 12), instant(rs, 13), instant(rs, 14)));
                }
            }
        }
        return messages.stream().map(m -> m.withServices(byMessage.get(m.messageId()))).toList();
    }

    private static MessageSummary summary(ResultSet rs) throws SQLException {
        return new MessageSummary(rs.getString(1), instant(rs, 2), instant(rs, 3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                MessageRecord.Routing.valueOf(rs.getString(10)), rs.getString(11), rs.getInt(12), rs.getInt(13) == 1,
                rs.getString(14) != null, instant(rs, 15), List.of());
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static void bind(PreparedStatement ps, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setObject(i + 1, values.get(i));
        }
    }

    private static IllegalStateException failed(SQLException e) {
        return new IllegalStateException("the message history could not be read: SQLState " + e.getSQLState(), e);
    }
}
