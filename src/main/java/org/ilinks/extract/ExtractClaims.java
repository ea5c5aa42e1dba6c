package org.ilinks.extract;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * The claim table {@code extract_file}: which engine takes which practice file, and how it ended. A file is known by
 * practice, name and SHA-256, so the same name arriving again with other content is a new file.
 */
public final class ExtractClaims {

    /** What an engine may do with a file it found. */
    public enum Verdict {
        /** Claimed by this engine (new, or taken over from one that died): process it. */
        CLAIMED,
        /** Another engine is processing it: leave it alone. */
        BUSY,
        /** Already processed (its records are queued, or it was found bad): only finish it on the server. */
        FINISHED
    }

    /** The claim's row id, the verdict, and for a finished file its final state. */
    public record Claim(long id, Verdict verdict, FileState state) {
    }

    public enum FileState { CLAIMED, DONE, PARTIAL, FAILED }

    private final DataSource dataSource;
    private final String node;
    private final Duration timeout;
    private final Clock clock;

    /**
     * @param node      this engine's name ({@code ilinks.node.name}, one per engine): a claim of this node's still
     *                  open when its file is found again was cut short (a failure after which the file stays on the
     *                  server, or a crash before a restart), and is taken again at once; while the file is being
     *                  processed, Camel's own in-progress list keeps this engine from finding it again
     * @param timeout   how long another node's claim is left alone ({@code ilinks.extract.claim-timeout-ms})
     */
    public ExtractClaims(DataSource dataSource, String node, Duration timeout, Clock clock) {
        this.dataSource = dataSource;
        this.node = node;
        this.timeout = timeout;
        this.clock = clock;
    }

    public Claim claim(String practice, String fileName, long size, String sha256) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (int attempt = 0; attempt < 3; attempt++) {
                Long id = insert(c, practice, fileName, size, sha256);
                if (id != null) {
                    return new Claim(id, Verdict.CLAIMED, FileState.CLAIMED);
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT id, state, claimed_by, claimed_at "
                        + "FROM extract_file WHERE practice = ? AND file_name = ? AND sha256 = ?")) {
                    ps.setString(1, practice);
                    ps.setString(2, fileName);
                    ps.setString(3, sha256);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            continue;
                        }
                        long rowId = rs.getLong(1);
                        FileState state = FileState.valueOf(rs.getString(2));
                        if (state != FileState.CLAIMED) {
                            return new Claim(rowId, Verdict.FINISHED, state);
                        }
                        String holder = rs.getString(3);
                        Instant at = rs.getObject(4, OffsetDateTime.class).toInstant();
                        boolean abandoned = holder.equals(node) || at.isBefore(clock.instant().minus(timeout));
                        if (abandoned && takeOver(c, rowId, holder, at)) {
                            return new Claim(rowId, Verdict.CLAIMED, FileState.CLAIMED);
                        }
                        return new Claim(rowId, Verdict.BUSY, FileState.CLAIMED);
                    }
                }
            }
            throw new SQLException("could not settle the claim of a file of practice " + practice);
        }
    }

    private Long insert(Connection c, String practice, String fileName, long size, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO extract_file (practice, file_name, size_bytes, "
                + "sha256, state, claimed_by, claimed_at) VALUES (?, ?, ?, ?, 'CLAIMED', ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, practice);
            ps.setString(2, fileName);
            ps.setLong(3, size);
            ps.setString(4, sha256);
            ps.setString(5, node);
            ps.setObject(6, now());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (state != null && state.startsWith("23")) {
                return null; // someone has this file already
            }
            throw e;
        }
    }

    /** Takes the claim only if it is still the one judged abandoned: of two engines taking over, one wins. */
    private boolean takeOver(Connection c, long id, String holder, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE extract_file SET claimed_by = ?, claimed_at = ? "
                + "WHERE id = ? AND state = 'CLAIMED' AND claimed_by = ? AND claimed_at = ?")) {
            ps.setString(1, node);
            ps.setObject(2, now());
            ps.setLong(3, id);
            ps.setString(4, holder);
            ps.setObject(5, at.atOffset(ZoneOffset.UTC));
            return ps.executeUpdate() == 1;
        }
    }

    /** Why a file was found bad, as recorded (to write its reason file again when moving it failed before). */
    public String reason(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT reason FROM extract_file WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The file's end: its state, counts and (for FAILED and PARTIAL) the reason in a practice manager's words. */
    public void finish(long id, FileState state, int total, int queued, int parked, String reason)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE extract_file SET state = ?, finished_at = ?, "
                     + "records_total = ?, records_queued = ?, records_parked = ?, reason = ? WHERE id = ?")) {
            ps.setString(1, state.name());
            ps.setObject(2, now());
            ps.setInt(3, total);
            ps.setInt(4, queued);
            ps.setInt(5, parked);
            ps.setString(6, reason == null ? null : cut(reason));
            ps.setLong(7, id);
            ps.executeUpdate();
        }
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static String cut(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 999) + "\u2026";
    }
}
