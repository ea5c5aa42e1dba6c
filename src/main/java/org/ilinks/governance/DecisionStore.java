package org.ilinks.governance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.ilinks.history.DeliveryStatus;

/**
 * The {@code routing_decision} table (migration V3): one row per message and subscribing service saying what
 * governance decided and why. Written at routing; changed at delivery only when a consent directive recorded since
 * stops a queued message.
 */
public final class DecisionStore {

    /** Where in the flow a decision was taken. */
    public enum Stage { ROUTING, DELIVERY, REPLAY }

    private static final int MAX_REASON = 1000;
    private static final int MAX_CHANGES = 4000;

    private final DataSource dataSource;

    public DecisionStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A write that belongs in the same database transaction as a message's decisions (its history record).
     * {@code again} is true when the message was routed before (a redelivery): the write must then not fail on what
     * the first attempt stored.
     */
    public interface SameTransaction {
        void write(Connection c, boolean again) throws SQLException;
    }

    public void recordRouting(String messageId, String nhsNumber, List<ServiceOutcome> outcomes, Instant at) {
        recordRouting(messageId, nhsNumber, outcomes, at, null);
    }

    /**
     * Records the decisions for one message, replacing any from an earlier attempt at routing it (a redelivery
     * after a crash decides again, and the newest decision is the one that was acted on), except where delivery has
     * already moved a copy on (failed, delivered, parked): a copy the first attempt queued may have been delivered
     * before this attempt began, and its history must not go back to queued. Services that do not subscribe are not
     * recorded.
     */
    public void recordRouting(String messageId, String nhsNumber, List<ServiceOutcome> outcomes, Instant at,
                              SameTransaction also) {
        List<ServiceOutcome> recorded = outcomes.stream().filter(o -> o.outcome() != Outcome.NOT_SUBSCRIBED).toList();
        if (recorded.isEmpty() && also == null) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                insert(c, messageId, nhsNumber, recorded, at);
                if (also != null) {
                    also.write(c, false);
                }
            } catch (SQLException e) {
                c.rollback();
                if (!isDuplicateKey(e)) {
                    throw e;
                }
                // Routed before and rolled back (a crash, a broker hiccup): the decision now taken replaces it.
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM routing_decision WHERE message_id = ? "
                        + "AND status IN ('QUEUED', 'WITHHELD', 'HELD')")) {
                    delete.setString(1, messageId);
                    delete.executeUpdate();
                }
                Set<String> movedOn = servicesWithRows(c, messageId);
                insert(c, messageId, nhsNumber, recorded.stream()
                        .filter(o -> !movedOn.contains(o.service().id())).toList(), at);
                if (also != null) {
                    also.write(c, true);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record governance decisions for message " + messageId
                    + ": SQLState " + e.getSQLState(), e);
        }
    }

    private static Set<String> servicesWithRows(Connection c, String messageId) throws SQLException {
        Set<String> services = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT service_id FROM routing_decision WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    services.add(rs.getString(1));
                }
            }
        }
        return services;
    }

    private static void insert(Connection c, String messageId, String nhsNumber, List<ServiceOutcome> outcomes,
                               Instant at) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO routing_decision (message_id, service_id, "
                + "nhs_number, outcome, reason_code, reason, changes, stage, decided_at, status, status_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (ServiceOutcome o : outcomes) {
                insert.setString(1, messageId);
                insert.setString(2, o.service().id());
                insert.setString(3, nhsNumber);
                insert.setString(4, o.outcome().name());
                insert.setString(5, o.reasonCode());
                insert.setString(6, cut(o.reason(), MAX_REASON));
                insert.setString(7, o.changes().isEmpty() ? null : cut(String.join("; ", o.changes()), MAX_CHANGES));
                insert.setString(8, Stage.ROUTING.name());
                insert.setObject(9, at.atOffset(ZoneOffset.UTC));
                insert.setString(10, firstStatus(o.outcome()));
                insert.setObject(11, at.atOffset(ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * A replay's decision for one service, on the caller's connection (the replay holds that transaction open until
     * its JMS transaction has committed, so a delivery's write of the replayed copy waits for this one): the
     * decision taken today replaces the earlier one, and the copy's status becomes {@code status}. A service that had
     * no row (it did not subscribe then) gets one.
     *
     * @param was the status the replay saw (null: no row); the row changes only if it still has it
     * @return false when the copy moved on meanwhile (another replay, a delivery): nothing was written
     */
    public static boolean recordReplay(Connection c, String messageId, String nhsNumber, ServiceOutcome o,
                                       DeliveryStatus status, Instant at, DeliveryStatus was) throws SQLException {
        String changes = o.changes().isEmpty() ? null : cut(String.join("; ", o.changes()), MAX_CHANGES);
        try (PreparedStatement update = c.prepareStatement("UPDATE routing_decision SET nhs_number = ?, outcome = ?, "
                + "reason_code = ?, reason = ?, changes = ?, stage = ?, decided_at = ?, status = ?, status_at = ? "
                + "WHERE message_id = ? AND service_id = ? AND status = ?")) {
            update.setString(1, nhsNumber);
            update.setString(2, o.outcome().name());
            update.setString(3, o.reasonCode());
            update.setString(4, cut(o.reason(), MAX_REASON));
            update.setString(5, changes);
            update.setString(6, Stage.REPLAY.name());
            update.setObject(7, at.atOffset(ZoneOffset.UTC));
            update.setString(8, status.name());
            update.setObject(9, at.atOffset(ZoneOffset.UTC));
            update.setString(10, messageId);
            update.setString(11, o.service().id());
            update.setString(12, was == null ? "" : was.name());
            if (was != null) {
                return update.executeUpdate() == 1;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO routing_decision (message_id, service_id, "
                + "nhs_number, outcome, reason_code, reason, changes, stage, decided_at, status, status_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, messageId);
            insert.setString(2, o.service().id());
            insert.setString(3, nhsNumber);
            insert.setString(4, o.outcome().name());
            insert.setString(5, o.reasonCode());
            insert.setString(6, cut(o.reason(), MAX_REASON));
            insert.setString(7, changes);
            insert.setString(8, Stage.REPLAY.name());
            insert.setObject(9, at.atOffset(ZoneOffset.UTC));
            insert.setString(10, status.name());
            insert.setObject(11, at.atOffset(ZoneOffset.UTC));
            insert.executeUpdate(); // a row written meanwhile fails this on the key: the replay then fails whole
            return true;
        }
    }

    /** The message history status a decision starts a copy in. */
    private static String firstStatus(Outcome outcome) {
        return switch (outcome) {
            case SEND -> DeliveryStatus.QUEUED.name();
            case WITHHELD -> DeliveryStatus.WITHHELD.name();
            case HELD -> DeliveryStatus.HELD.name();
            case NOT_SUBSCRIBED -> throw new IllegalArgumentException("a service that does not subscribe has no row");
        };
    }

    private static boolean isDuplicateKey(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")) {
                return true;
            }
            if (t instanceof SQLException s && s.getNextException() != null && s.getNextException() != t
                    && s.getNextException().getSQLState() != null && s.getNextException().getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A queued copy stopped at delivery by a directive recorded after it was routed. Its history status becomes
     * withheld unless it was already delivered or parked (a repeated check must not undo those).
     */
    public void withheldAtDelivery(String messageId, String serviceId, String reasonCode, String reason, Instant at) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE routing_decision SET outcome = ?, reason_code = ?, "
                     + "reason = ?, stage = ?, decided_at = ?, "
                     + "status_at = CASE WHEN status IN ('QUEUED', 'FAILED', 'REPLAYED') THEN ? ELSE status_at END, "
                     + "status = CASE WHEN status IN ('QUEUED', 'FAILED', 'REPLAYED') THEN 'WITHHELD' ELSE status END "
                     + "WHERE message_id = ? AND service_id = ?")) {
            ps.setString(1, Outcome.WITHHELD.name());
            ps.setString(2, reasonCode);
            ps.setString(3, cut(reason, MAX_REASON));
            ps.setString(4, Stage.DELIVERY.name());
            ps.setObject(5, at.atOffset(ZoneOffset.UTC));
            ps.setObject(6, at.atOffset(ZoneOffset.UTC));
            ps.setString(7, messageId);
            ps.setString(8, serviceId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the delivery-time consent decision for message "
                    + messageId + ": SQLState " + e.getSQLState(), e);
        }
    }

    /** One recorded decision, as read back (for tests, {@code try} comparisons and support tools). */
    public record Row(String serviceId, String outcome, String reasonCode, String reason, String changes,
                      String stage) {
    }

    public List<Row> decisionsFor(String messageId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT service_id, outcome, reason_code, reason, changes, stage "
                     + "FROM routing_decision WHERE message_id = ? ORDER BY service_id")) {
            ps.setString(1, messageId);
            List<Row> rows = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read governance decisions: SQLState " + e.getSQLState(), e);
        }
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }
}
