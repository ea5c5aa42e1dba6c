package org.ilinks.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Walks the audit chain in sequence order, recomputing each hash, and reports the first record that was modified
 * (its content does not match its hash), inserted, removed or reordered (a gap in the sequence, or a previous hash
 * that is not the hash of the record before), and the removal of the newest records (the head file, or audit_chain,
 * names a record beyond the table's last, or a different one).
 *
 * <p>A head file that is behind the table is accepted when the record it names matches: the engine writes it just
 * after each commit, so a crash between the two leaves it one append behind.
 */
public final class AuditVerifier {

    private static final int PAGE = 1000;

    private AuditVerifier() {
    }

    public static VerifyReport verify(DataSource dataSource, AuditHeadFile headFile) {
        Optional<ChainHead> head = headFile.last();
        ChainHead chain = new AuditStore(dataSource, headFile).chainHead();
        Walk walk = new Walk(head.orElse(null), chain);
        String sql = "SELECT " + AuditStore.COLUMNS + ", action FROM audit_event WHERE seq > ? ORDER BY seq "
                + "FETCH FIRST " + PAGE + " ROWS ONLY";
        long after = 0;
        while (true) {
            int rows = 0;
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                AuditStore.planEachTime(ps);
                ps.setLong(1, after);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        after = rs.getLong("seq");
                        VerifyReport problem = walk.next(rs);
                        if (problem != null) {
                            return problem;
                        }
                    }
                }
            } catch (SQLException e) {
                throw new AuditStoreException("read the audit trail to verify it", e);
            }
            if (rows < PAGE) {
                return walk.end(headFile);
            }
        }
    }

    /** The state of the walk: the record expected next and the hash it must follow. */
    private static final class Walk {
        private final ChainHead head;
        private final ChainHead chain;
        private long expected = 1;
        private String previous = ChainHash.GENESIS;
        private long checked;

        Walk(ChainHead head, ChainHead chain) {
            this.head = head;
            this.chain = chain;
        }

        VerifyReport next(ResultSet rs) throws SQLException {
            long seq = rs.getLong("seq");
            if (seq != expected) {
                return VerifyReport.failed(checked, expected, expected == seq - 1
                        ? "record " + expected + " was removed: the trail goes from record " + (expected - 1)
                                + " to record " + seq
                        : "records " + expected + " to " + (seq - 1) + " were removed: the trail goes from record "
                                + (expected - 1) + " to record " + seq);
            }
            StoredEvent stored;
            try {
                stored = AuditStore.read(rs);
            } catch (RuntimeException e) {
                return VerifyReport.failed(checked, seq, "record " + seq + " was modified: it is not a valid audit "
                        + "event (" + e.getClass().getSimpleName() + ")");
            }
            String hash = stored.hash() == null ? "" : stored.hash().strip();
            String prevHash = stored.prevHash() == null ? "" : stored.prevHash().strip();
            if (!ChainHash.of(prevHash, stored.event()).equals(hash)
                    || !stored.event().action().equals(rs.getString("action"))) {
                return VerifyReport.failed(checked, seq, "record " + seq
                        + " was modified: its content does not match its hash");
            }
            if (!prevHash.equals(previous)) {
                return VerifyReport.failed(checked, seq, "record " + seq + " does not follow record " + (seq - 1)
                        + ": its previous hash is not that record's hash (a record was inserted, removed or moved "
                        + "here)");
            }
            if (head != null && head.seq() == seq && !head.hash().equals(hash)) {
                return VerifyReport.failed(checked, seq, "record " + seq + " is not the record the head file "
                        + "names: its hash differs from the one written when it was appended (the trail was "
                        + "rewritten from here or before)");
            }
            checked++;
            expected = seq + 1;
            previous = hash;
            return null;
        }

        VerifyReport end(AuditHeadFile headFile) {
            long last = expected - 1;
            if (head == null && last > 0) {
                return VerifyReport.failed(checked, last, "the head file " + headFile.file() + " is missing or "
                        + "empty, but the trail has " + last + " record(s): the newest records cannot be checked");
            }
            if (head != null && head.seq() > last) {
                return VerifyReport.failed(checked, last + 1, newestRemoved(last, head.seq(), "the head file"));
            }
            if (chain.seq() > last) {
                return VerifyReport.failed(checked, last + 1, newestRemoved(last, chain.seq(), "audit_chain"));
            }
            if (chain.seq() < last) {
                return VerifyReport.failed(checked, chain.seq() + 1, "record " + (chain.seq() + 1) + " was added "
                        + "outside the engine: audit_chain ends at record " + chain.seq() + " but the trail goes on to "
                        + "record " + last);
            }
            if (chain.seq() == last && !chain.hash().strip().equals(previous)) {
                return VerifyReport.failed(checked, last, "record " + last + " is not the record audit_chain "
                        + "names: its hash differs");
            }
            return VerifyReport.verified(checked);
        }

        private static String newestRemoved(long last, long named, String witness) {
            return (last + 1 == named ? "record " + named + " was removed" : "records " + (last + 1) + " to "
                    + named + " were removed") + ": " + witness + " names record " + named + " but the trail ends "
                    + (last == 0 ? "before record 1" : "at record " + last);
        }
    }
}
