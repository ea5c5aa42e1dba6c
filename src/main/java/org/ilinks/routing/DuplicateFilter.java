package org.ilinks.routing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.ilinks.message.LogSafe;
import org.ilinks.message.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a re-sent message from being routed twice. Senders re-send when an ACK was lost; the copy has the same
 * MSH-3, MSH-4 and MSH-10. Intake ACKs both (the sender must stop re-sending), and this step lets only the first
 * through within the window. It runs on the routing side, inside the JMS transaction, and recognises its own
 * earlier attempt at the same message (same internal id) after a crash, so a redelivered message is never taken
 * for a duplicate of itself. A record from a practice's file is also known by its record key (the file's SHA-256 and
 * its index): a file processed again after a crash queues its records again under new ids, and each is routed once.
 */
public final class DuplicateFilter {

    /** Exchange property: true when the message repeats one already routed. */
    public static final String DUPLICATE = "ilinksDuplicate";

    private static final int KEY_COLUMN = 700;

    private static final Logger LOG = LoggerFactory.getLogger(DuplicateFilter.class);

    private final DataSource dataSource;
    private final Duration window;

    public DuplicateFilter(DataSource dataSource, Duration window) {
        this.dataSource = dataSource;
        this.window = window;
    }

    public void check(Exchange exchange) throws SQLException {
        Message in = exchange.getIn();
        String messageId = in.getHeader(MessageHeaders.MESSAGE_ID, String.class);
        String key = null;
        Timestamp receivedAt = new Timestamp(in.getHeader(MessageHeaders.RECEIVED_AT, System.currentTimeMillis(), Long.class));
        String recordKey = in.getHeader(MessageHeaders.RECORD_KEY, String.class);
        String original = null;
        if (recordKey != null) {
            key = "file|" + recordKey;
            original = firstReceiver(key, messageId, receivedAt);
        }
        if (original == null) {
            key = key(in.getHeader(MessageHeaders.SENDING_APPLICATION, "", String.class),
                    in.getHeader(MessageHeaders.SENDING_FACILITY, "", String.class),
                    in.getHeader(MessageHeaders.CONTROL_ID, "", String.class));
            original = firstReceiver(key, messageId, receivedAt);
        }
        boolean duplicate = original != null;
        exchange.setProperty(DUPLICATE, duplicate);
        if (duplicate) {
            recordDuplicate(messageId, original, key, receivedAt);
            LOG.info("Message {} repeats message {} ({}): not routed again", messageId, original,
                    key.startsWith("file|") ? "the same record of the same practice file"
                            : "MSH-10 '" + LogSafe.id(in.getHeader(MessageHeaders.CONTROL_ID, String.class))
                                    + "' from the same sender, ACKed");
        }
    }

    /** What a sender re-uses when it re-sends a message: MSH-3, MSH-4 and MSH-10. */
    static String key(String sendingApplication, String sendingFacility, String controlId) {
        return String.join("|", sendingApplication, sendingFacility, controlId);
    }

    /**
     * The key as stored. Senders put what they like in these fields; cut to the column's size so an over-long one
     * cannot make every attempt fail. The hash (the primary key) is taken from the whole key.
     */
    private static String stored(String key) {
        return key.length() > KEY_COLUMN ? key.substring(0, KEY_COLUMN) : key;
    }

    /** Returns the id of an earlier, different message with this key inside the window, or null if this one is first. */
    private String firstReceiver(String key, String messageId, Timestamp receivedAt) throws SQLException {
        long hash = hash(key);
        try (Connection c = dataSource.getConnection()) {
            for (int attempt = 0; attempt < 3; attempt++) {
                // Nearly every message is new: try to claim its key first, and look only when that fails.
                if (insert(c, hash, key, messageId, receivedAt)) {
                    return null;
                }
                Earlier existing = find(c, hash);
                if (existing == null) {
                    continue; // pruned between our insert and our look: claim it again
                }
                if (!existing.dedupeKey().equals(stored(key))) {
                    return null; // a different sender key with the same 64-bit hash: not a repeat, route it
                }
                String earlierId = existing.messageId();
                if (earlierId.equals(messageId)) {
                    return null; // our own row: this is a redelivery after a crash, not a re-send
                }
                if (receivedAt.getTime() - existing.receivedAt().getTime() > window.toMillis()) {
                    if (replace(c, hash, earlierId, messageId, receivedAt)) {
                        return null;
                    }
                    continue;
                }
                return earlierId;
            }
            throw new SQLException("could not settle the duplicate check for message " + messageId);
        }
    }

    private record Earlier(String dedupeKey, String messageId, Timestamp receivedAt) {
    }

    static long hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Earlier find(Connection c, long hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT dedupe_key, message_id, received_at FROM received_message WHERE key_hash = ?")) {
            ps.setLong(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Earlier(rs.getString(1), rs.getString(2), rs.getTimestamp(3)) : null;
            }
        }
    }

    private static boolean insert(Connection c, long hash, String key, String messageId, Timestamp at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO received_message (key_hash, dedupe_key, message_id, received_at) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, hash);
            ps.setString(2, stored(key));
            ps.setString(3, messageId);
            ps.setTimestamp(4, at);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean replace(Connection c, long hash, String oldId, String newId, Timestamp at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE received_message SET message_id = ?, received_at = ? WHERE key_hash = ? AND message_id = ?")) {
            ps.setString(1, newId);
            ps.setTimestamp(2, at);
            ps.setLong(3, hash);
            ps.setString(4, oldId);
            return ps.executeUpdate() == 1;
        }
    }

    private void recordDuplicate(String messageId, String original, String key, Timestamp at) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO duplicate_message (message_id, original_message_id, dedupe_key, received_at) "
                             + "VALUES (?, ?, ?, ?)")) {
            ps.setString(1, messageId);
            ps.setString(2, original);
            ps.setString(3, stored(key));
            ps.setTimestamp(4, at);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!isUniqueViolation(e)) {
                throw e; // a unique violation means this redelivered duplicate was recorded before a crash
            }
        }
    }

    /** Forgets keys older than the window; the housekeeping route calls this. */
    public int prune() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM received_message WHERE received_at < ?")) {
            ps.setTimestamp(1, new Timestamp(System.currentTimeMillis() - window.toMillis()));
            return ps.executeUpdate();
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("23505") || state.startsWith("23"));
    }
}
