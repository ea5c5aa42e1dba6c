package org.ilinks.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code replay_job} and {@code replay_item} tables (migration V9): each replay request, its messages in order,
 * and what each did. A job's progress is its items, so a stopped or interrupted job resumes at its first pending one.
 */
final class ReplayJobStore {

    /** One message a job still has to replay. */
    record Pending(int seq, String messageId, String serviceId, Long editId) {
    }

    /** A new job: who, why, what, and its messages in order. */
    record NewJob(String jobId, String requestedBy, String requestedFrom, String reason, String selection,
                  String targetService, boolean force, int ratePerSecond, List<String> messageIds, Long editId) {
    }

    private static final String JOB_COLUMNS = "job_id, requested_by, requested_at, reason, selection, target_service, "
            + "force_delivered, rate_per_second, state, state_reason, updated_at";

    private final DataSource dataSource;
    private final Clock clock;

    ReplayJobStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    void create(NewJob job) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO replay_job (job_id, requested_by, "
                    + "requested_from, requested_at, reason, selection, target_service, force_delivered, "
                    + "rate_per_second, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'RUNNING', ?)")) {
                ps.setString(1, job.jobId());
                ps.setString(2, job.requestedBy());
                ps.setString(3, job.requestedFrom());
                ps.setObject(4, now());
                ps.setString(5, job.reason());
                ps.setString(6, cut(job.selection(), 1000));
                ps.setString(7, job.targetService());
                ps.setBoolean(8, job.force());
                ps.setInt(9, job.ratePerSecond());
                ps.setObject(10, now());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO replay_item (job_id, seq, sub, message_id, "
                    + "service_id, edit_id, outcome) VALUES (?, ?, 0, ?, ?, ?, 'PENDING')")) {
                int seq = 0;
                for (String id : job.messageIds()) {
                    ps.setString(1, job.jobId());
                    ps.setInt(2, seq++);
                    ps.setString(3, id);
                    ps.setString(4, job.targetService());
                    if (job.editId() == null) {
                        ps.setNull(5, Types.BIGINT);
                    } else {
                        ps.setLong(5, job.editId());
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    List<Pending> pending(String jobId) {
        return query("SELECT seq, message_id, service_id, edit_id FROM replay_item WHERE job_id = ? "
                + "AND outcome = 'PENDING' ORDER BY seq", ps -> ps.setString(1, jobId), rs -> new Pending(rs.getInt(1),
                rs.getString(2), rs.getString(3), rs.getObject(4) == null ? null : rs.getLong(4)));
    }

    /** What one message did: replaces its pending row with one row per service. */
    void record(String jobId, int seq, String messageId, List<ReplayResult> results) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM replay_item WHERE job_id = ? AND seq = ?")) {
                ps.setString(1, jobId);
                ps.setInt(2, seq);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO replay_item (job_id, seq, sub, message_id, "
                    + "service_id, outcome, detail, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                int sub = 0;
                for (ReplayResult r : results) {
                    ps.setString(1, jobId);
                    ps.setInt(2, seq);
                    ps.setInt(3, sub++);
                    ps.setString(4, r.messageId() == null ? messageId : r.messageId());
                    ps.setString(5, r.serviceId());
                    ps.setString(6, r.outcome().name());
                    ps.setString(7, cut(r.detail(), 1000));
                    ps.setObject(8, now());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            touch(c, jobId);
            return null;
        });
    }

    /** Whether the job has already replayed this message (behind another it waited for). */
    boolean replayedInJob(String jobId, String messageId) {
        return !query("SELECT 1 FROM replay_item WHERE job_id = ? AND message_id = ? AND outcome <> 'PENDING' "
                + "FETCH FIRST 1 ROWS ONLY", ps -> {
                    ps.setString(1, jobId);
                    ps.setString(2, messageId);
                }, rs -> 1).isEmpty();
    }

    /** Takes a message off a job's list (it was replayed with another). */
    void drop(String jobId, int seq) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM replay_item WHERE job_id = ? AND seq = ? "
                    + "AND outcome = 'PENDING'")) {
                ps.setString(1, jobId);
                ps.setInt(2, seq);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Moves a job to a state; from RUNNING only unless {@code fromAny}. Returns whether it moved. */
    boolean state(String jobId, ReplayJob.State state, String reason, ReplayJob.State from) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE replay_job SET state = ?, state_reason = ?, "
                    + "updated_at = ? WHERE job_id = ? AND state = ?")) {
                ps.setString(1, state.name());
                ps.setString(2, cut(reason, 300));
                ps.setObject(3, now());
                ps.setString(4, jobId);
                ps.setString(5, from.name());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Jobs left RUNNING by an engine that stopped: they wait to be resumed by a person. */
    List<String> running() {
        return query("SELECT job_id FROM replay_job WHERE state = 'RUNNING' ORDER BY job_id", ps -> { },
                rs -> rs.getString(1));
    }

    Optional<ReplayJob> job(String jobId, boolean withItems) {
        List<ReplayJob> found = jobs("SELECT " + JOB_COLUMNS + " FROM replay_job WHERE job_id = ?",
                ps -> ps.setString(1, jobId), withItems);
        return found.stream().findFirst();
    }

    /** The newest jobs first, without their items. */
    List<ReplayJob> recent(int limit) {
        return jobs("SELECT " + JOB_COLUMNS + " FROM replay_job ORDER BY job_id DESC FETCH FIRST " + limit
                + " ROWS ONLY", ps -> { }, false);
    }

    private List<ReplayJob> jobs(String sql, Binder binder, boolean withItems) {
        record Head(String id, String by, Instant at, String reason, String selection, String target, boolean force,
                    int rate, ReplayJob.State state, String stateReason, Instant updated) {
        }
        List<Head> heads = query(sql, binder, rs -> new Head(rs.getString(1), rs.getString(2), instant(rs, 3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getBoolean(7), rs.getInt(8),
                ReplayJob.State.valueOf(rs.getString(9)), rs.getString(10), instant(rs, 11)));
        List<ReplayJob> out = new ArrayList<>();
        for (Head h : heads) {
            List<ReplayJob.Item> items = query("SELECT seq, message_id, service_id, outcome, detail, done_at "
                    + "FROM replay_item WHERE job_id = ? ORDER BY seq, sub", ps -> ps.setString(1, h.id()),
                    rs -> new ReplayJob.Item(rs.getInt(1), rs.getString(2), rs.getString(3),
                            ReplayOutcome.valueOf(rs.getString(4)), rs.getString(5), instant(rs, 6)));
            Map<ReplayOutcome, Integer> counts = new EnumMap<>(ReplayOutcome.class);
            for (ReplayOutcome o : ReplayOutcome.values()) {
                counts.put(o, 0);
            }
            items.forEach(i -> counts.merge(i.outcome(), 1, Integer::sum));
            int messages = (int) items.stream().mapToInt(ReplayJob.Item::seq).distinct().count();
            int done = (int) items.stream().filter(i -> i.outcome() != ReplayOutcome.PENDING)
                    .mapToInt(ReplayJob.Item::seq).distinct().count();
            out.add(new ReplayJob(h.id(), h.by(), h.at(), h.reason(), h.selection(), h.target(), h.force(), h.rate(),
                    h.state(), h.stateReason(), h.updated(), messages, done, counts,
                    withItems ? items : List.of()));
        }
        return out;
    }

    private void touch(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE replay_job SET updated_at = ? WHERE job_id = ?")) {
            ps.setObject(1, now());
            ps.setString(2, jobId);
            ps.executeUpdate();
        }
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> List<T> query(String sql, Binder binder, Row<T> row) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static IllegalStateException failed(SQLException e) {
        return new IllegalStateException("the replay records could not be read or written: SQLState "
                + e.getSQLState(), e);
    }
}
