package org.ilinks.extract;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Each practice's status: the last poll that reached its server and the last error (this engine's), and the files
 * and records taken today (England's day, every engine of the database) with the last file's end.
 */
public final class ExtractReports {

    private static final ZoneId ENGLAND = ZoneId.of("Europe/London");

    /** The newest file of a practice: its name, state, when claimed, and why it failed or was partial. */
    public record LastFile(String name, String state, Instant claimedAt, String reason) {
    }

    public record PracticeReport(String ods, String description, String server, Instant lastSuccessfulPoll,
                                 Instant lastErrorAt, String lastError, int filesToday, int filesDone,
                                 int filesPartial, int filesFailed, int filesInProgress, int recordsQueued,
                                 int recordsParked, LastFile lastFile) {
    }

    private final DataSource dataSource;
    private final ExtractStatus status;
    private final Clock clock;

    ExtractReports(DataSource dataSource, ExtractStatus status, Clock clock) {
        this.dataSource = dataSource;
        this.status = status;
        this.clock = clock;
    }

    List<PracticeReport> today(List<PracticeSource> practices) {
        Instant midnight = LocalDate.now(clock.withZone(ENGLAND)).atStartOfDay(ENGLAND).toInstant();
        List<PracticeReport> reports = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (PracticeSource p : practices) {
                reports.add(report(c, p, midnight));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the extract status could not be read: SQLState " + e.getSQLState(), e);
        }
        return reports;
    }

    private PracticeReport report(Connection c, PracticeSource p, Instant midnight) throws SQLException {
        int files = 0;
        int done = 0;
        int partial = 0;
        int failed = 0;
        int claimed = 0;
        int queued = 0;
        int parked = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*), COALESCE(SUM(records_queued), 0), "
                + "COALESCE(SUM(records_parked), 0) FROM extract_file WHERE practice = ? AND claimed_at >= ? "
                + "GROUP BY state")) {
            ps.setString(1, p.ods());
            ps.setObject(2, midnight.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int n = rs.getInt(2);
                    files += n;
                    queued += rs.getInt(3);
                    parked += rs.getInt(4);
                    switch (rs.getString(1)) {
                        case "DONE" -> done += n;
                        case "PARTIAL" -> partial += n;
                        case "FAILED" -> failed += n;
                        default -> claimed += n;
                    }
                }
            }
        }
        LastFile last = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT file_name, state, claimed_at, reason FROM extract_file "
                + "WHERE practice = ? ORDER BY claimed_at DESC, id DESC")) {
            ps.setString(1, p.ods());
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    last = new LastFile(rs.getString(1), rs.getString(2),
                            rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4));
                }
            }
        }
        ExtractStatus.Polls polls = status.of(p.ods());
        return new PracticeReport(p.ods(), p.description(), p.sftp().host() + ":" + p.sftp().port() + "/"
                + p.sftp().folder(), polls.lastSuccessfulPoll(), polls.lastErrorAt(), polls.lastError(), files, done,
                partial, failed, claimed, queued, parked, last);
    }
}
