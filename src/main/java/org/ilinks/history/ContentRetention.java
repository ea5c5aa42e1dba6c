package org.ilinks.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.ilinks.message.MessageIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the content of messages received longer ago than {@code ilinks.history.content-retention-days}, named
 * {@code historyRetention} by the housekeeping route. The metadata row stays (see the README's policy). Content is
 * kept, however old, while any service's copy is still queued, held, failed or parked
 * ({@link DeliveryStatus#KEEPS_CONTENT}), and for a message parked at routing: an unresolved message must stay
 * replayable. Once it is delivered or replayed, the next run removes it.
 */
public final class ContentRetention {

    private static final Logger LOG = LoggerFactory.getLogger(ContentRetention.class);
    private static final int BATCH = 500;

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration retention;

    public ContentRetention(DataSource dataSource, Clock clock, Duration retention) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.retention = retention;
    }

    /** Removes what is due, in batches; returns how many messages' content was removed. */
    public int run() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(retention);
        int removed = 0;
        try (Connection c = dataSource.getConnection()) {
            while (true) {
                List<String> due = due(c, cutoff);
                if (due.isEmpty()) {
                    break;
                }
                int batch = remove(c, due, now);
                removed += batch;
                if (due.size() < BATCH || batch == 0) {
                    break;
                }
            }
        } catch (SQLException e) {
            // The next run tries again; nothing is lost by waiting.
            LOG.warn("Message history retention could not run: SQLState {}", e.getSQLState());
            return removed;
        }
        if (removed > 0) {
            LOG.info("Message history retention: content of {} message(s) received before {} removed", removed, cutoff);
        }
        return removed;
    }

    private static List<String> due(Connection c, Instant cutoff) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT m.message_id FROM message_record m "
                + "WHERE m.message_id < ? AND m.content IS NOT NULL AND m.routing <> 'PARKED' "
                + "AND NOT EXISTS (SELECT 1 FROM routing_decision d WHERE d.message_id = m.message_id "
                + "AND d.status IN (" + DeliveryStatus.sqlList(DeliveryStatus.KEEPS_CONTENT) + ")) "
                + "ORDER BY m.message_id FETCH FIRST " + BATCH + " ROWS ONLY")) {
            // Message ids begin with the time intake accepted the message: older ones sort below this prefix.
            ps.setString(1, MessageIds.timePrefix(cutoff));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private static int remove(Connection c, List<String> ids, Instant now) throws SQLException {
        // The unresolved check is made again in the same statement: a copy may have failed since the search.
        try (PreparedStatement ps = c.prepareStatement("UPDATE message_record SET content = NULL, "
                + "content_removed_at = ? WHERE message_id = ? AND content IS NOT NULL AND NOT EXISTS "
                + "(SELECT 1 FROM routing_decision d WHERE d.message_id = message_record.message_id "
                + "AND d.status IN (" + DeliveryStatus.sqlList(DeliveryStatus.KEEPS_CONTENT) + "))")) {
            for (String id : ids) {
                ps.setObject(1, now.atOffset(ZoneOffset.UTC));
                ps.setString(2, id);
                ps.addBatch();
            }
            int removed = 0;
            for (int n : ps.executeBatch()) {
                removed += Math.max(0, n);
            }
            return removed;
        }
    }
}
