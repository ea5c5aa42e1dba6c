package org.ilinks.replay;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.ilinks.history.ContentCipher;

/**
 * Edits support users make to a parked message before replaying it (table {@code message_edit}, migration V9): the
 * edited content and its diff from the original, both patient data and stored like the original (encrypted when a
 * key is configured). The original itself is never changed.
 */
public final class MessageEdits {

    /** An edit as shown to a person with the body permission. */
    public record Edit(long editId, String messageId, String serviceId, String editedBy, Instant editedAt,
                       String reason, String diff) {
    }

    private final DataSource dataSource;
    private final ContentCipher cipher;
    private final Clock clock;

    public MessageEdits(DataSource dataSource, ContentCipher cipher, Clock clock) {
        this.dataSource = dataSource;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** An edit as recorded: its id, and how many segments it removed and added (no content). */
    record Recorded(long editId, String summary) {
    }

    /** Records an edit. */
    Recorded record(String messageId, String serviceId, String user, String reason, String original, String edited) {
        String diff = SegmentDiff.between(original, edited);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO message_edit (message_id, service_id, edited_by, "
                     + "edited_at, reason, content, diff, content_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, messageId);
            ps.setString(2, serviceId);
            ps.setString(3, user);
            ps.setObject(4, clock.instant().atOffset(ZoneOffset.UTC));
            ps.setString(5, reason);
            ps.setBytes(6, cipher.seal(aad(messageId), edited.getBytes(StandardCharsets.UTF_8)));
            ps.setBytes(7, cipher.seal(aad(messageId), diff.getBytes(StandardCharsets.UTF_8)));
            ps.setString(8, cipher.fingerprint());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new Recorded(keys.getLong(1), SegmentDiff.summary(diff));
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** REVEALS PATIENT DATA: the edited content to replay. */
    Optional<byte[]> content(long editId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT message_id, content, content_key FROM message_edit "
                     + "WHERE edit_id = ?")) {
            ps.setLong(1, editId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(cipher.open(aad(rs.getString(1)), rs.getBytes(2), rs.getString(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** REVEALS PATIENT DATA: a message's edits with their diffs, oldest first. Record who asked and why first. */
    public List<Edit> revealPatientEdits(String messageId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT edit_id, service_id, edited_by, edited_at, reason, "
                     + "diff, content_key FROM message_edit WHERE message_id = ? ORDER BY edit_id")) {
            ps.setString(1, messageId);
            List<Edit> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Edit(rs.getLong(1), messageId, rs.getString(2), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5),
                            new String(cipher.open(aad(messageId), rs.getBytes(6), rs.getString(7)),
                                    StandardCharsets.UTF_8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static String aad(String messageId) {
        return messageId + "/edit";
    }

    private static IllegalStateException failed(SQLException e) {
        return new IllegalStateException("message edits could not be read or written: SQLState " + e.getSQLState(), e);
    }
}
