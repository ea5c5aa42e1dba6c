package org.ilinks.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.ilinks.support.TestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tampering with the stored trail through plain JDBC, on H2 and on PostgreSQL: {@link AuditVerifier} finds each
 * change and names the first record it affects.
 */
class AuditVerifierTest {

    private static final String COLUMNS = "event_id, type, action, outcome, recorded_at, actor_type, actor_id, "
            + "actor_address, source, nhs_number, message_id, service_id, detail, prev_hash, hash";

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void anUntouchedTrailVerifiesAndAnEmptyOneToo(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditHeadFile head = new AuditHeadFile(tmp.resolve("head"));
            assertThat(AuditVerifier.verify(ds(db), head)).isEqualTo(new VerifyReport(true, 0, null, null));
            fill(db, head);
            assertThat(AuditVerifier.verify(ds(db), head)).isEqualTo(new VerifyReport(true, 10, null, null));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void anEditedFieldIsNamedByItsRecord(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditHeadFile head = new AuditHeadFile(tmp.resolve("head"));
            fill(db, head);
            sql(db, "UPDATE audit_event SET detail = 'nothing to see' WHERE seq = 4");

            VerifyReport report = AuditVerifier.verify(ds(db), head);

            assertThat(report.ok()).isFalse();
            assertThat(report.firstBadSeq()).isEqualTo(4L);
            assertThat(report.records()).isEqualTo(3);
            assertThat(report.problem()).isEqualTo("record 4 was modified: its content does not match its hash");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void anEditedTimeOrTypeIsCaughtToo(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditHeadFile head = new AuditHeadFile(tmp.resolve("head"));
            fill(db, head);
            sql(db, "UPDATE audit_event SET type = 'NO_SUCH_TYPE' WHERE seq = 7");
            sql(db, "UPDATE audit_event SET recorded_at = recorded_at + INTERVAL '1' SECOND WHERE seq = 9");

            VerifyReport report = AuditVerifier.verify(ds(db), head);

            assertThat(report.firstBadSeq()).isEqualTo(7L);
            assertThat(report.problem()).startsWith("record 7 was modified: it is not a valid audit event");
            sql(db, "UPDATE audit_event SET type = 'QUEUED' WHERE seq = 7");
            assertThat(AuditVerifier.verify(ds(db), head).problem())
                    .isEqualTo("record 9 was modified: its content does not match its hash");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aRecordDeletedInTheMiddleIsNamed(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditHeadFile head = new AuditHeadFile(tmp.resolve("head"));
            fill(db, head);
            sql(db, "DELETE FROM audit_event WHERE seq = 5");

            VerifyReport report = AuditVerifier.verify(ds(db), head);

            assertThat(report.ok()).isFalse();
            assertThat(report.firstBadSeq()).isEqualTo(5L);
            assertThat(report.problem()).isEqualTo("record 5 was removed: the trail goes from record 4 to record 6");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aDeletionHiddenByRenumberingIsStillCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditHeadFile head = new AuditHeadFile(tmp.resolve("head"));
            fill(db, head);
            sql(db, "DELETE FROM audit_event WHERE seq = 5");
            sql(db, "UPDATE audit_event SET seq = seq - 1 WHERE seq > 5");

            VerifyReport report = AuditVerifier.verify(ds(db), head);

            assertThat(report.firstBadSeq()).isEqualTo(5L);
            assertThat(report.problem()).startsWith("record 5 does not follow record 4");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void theNewestRecordsDeletedAreCaughtByTheHeadFile(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditHeadFile head = new AuditHeadFile(tmp.resolve("head"));
            fill(db, head);
            sql(db, "DELETE FROM audit_event WHERE seq > 7");
            // A careful intruder rewrites the chain's head in the database too; the file outside is what remains.
            sql(db, "UPDATE audit_chain SET last_seq = 7, last_hash = (SELECT hash FROM audit_event WHERE seq = 7)");

            VerifyReport report = AuditVerifier.verify(ds(db), head);

            assertThat(report.ok()).isFalse();
            assertThat(report.firstBadSeq()).isEqualTo(8L);
            assertThat(report.records()).isEqualTo(7);
            assertThat(report.problem()).isEqualTo("records 8 to 10 were removed: the head file names record 10 but "
                    + "the trail ends at record 7");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void theNewestRecordDeletedIsCaughtByAuditChainWithoutAHeadFileEntry(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditHeadFile head = new AuditHeadFile(tmp.resolve("head"));
            fill(db, head);
            sql(db, "DELETE FROM audit_event WHERE seq = 10");
            Files.writeString(head.file(), "9 " + hashOf(db, 9) + "\n");

            VerifyReport report = AuditVerifier.verify(ds(db), head);

            assertThat(report.firstBadSeq()).isEqualTo(10L);
            assertThat(report.problem()).isEqualTo("record 10 was removed: audit_chain names record 10 but the trail "
                    + "ends at record 9");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void twoSwappedRecordsAreCaughtAtTheFirst(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditHeadFile head = new AuditHeadFile(tmp.resolve("head"));
            fill(db, head);
            // Swap every column but seq of records 3 and 6 (each row stays self-consistent: content matches hash).
            sql(db, "UPDATE audit_event SET seq = -3 WHERE seq = 3");
            sql(db, "UPDATE audit_event SET seq = 3 WHERE seq = 6");
            sql(db, "UPDATE audit_event SET seq = 6 WHERE seq = -3");

            VerifyReport report = AuditVerifier.verify(ds(db), head);

            assertThat(report.ok()).isFalse();
            assertThat(report.firstBadSeq()).isEqualTo(3L);
            assertThat(report.problem()).isEqualTo("record 3 does not follow record 2: its previous hash is not that "
                    + "record's hash (a record was inserted, removed or moved here)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aRecordInsertedInTheMiddleIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditHeadFile head = new AuditHeadFile(tmp.resolve("head"));
            fill(db, head);
            sql(db, "UPDATE audit_event SET seq = seq + 100 WHERE seq >= 4");
            sql(db, "UPDATE audit_event SET seq = seq - 99 WHERE seq >= 104");
            sql(db, "INSERT INTO audit_event (seq, " + COLUMNS + ") SELECT 4, 'FORGED0000000000000000000A', type, "
                    + "action, outcome, recorded_at, actor_type, actor_id, actor_address, source, nhs_number, "
                    + "message_id, service_id, detail, prev_hash, hash FROM audit_event WHERE seq = 5");

            VerifyReport report = AuditVerifier.verify(ds(db), head);

            assertThat(report.firstBadSeq()).isEqualTo(4L);
            assertThat(report.problem()).isEqualTo("record 4 was modified: its content does not match its hash");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aHeadFileBehindTheTableIsAcceptedWhenItsRecordMatches(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditHeadFile head = new AuditHeadFile(tmp.resolve("head"));
            fill(db, head);
            Files.writeString(head.file(), "8 " + hashOf(db, 8) + "\n9 " + hashOf(db, 9).substring(0, 20));
            assertThat(AuditVerifier.verify(ds(db), head).ok()).as("a crash after commit, mid-line").isTrue();

            Files.writeString(head.file(), "8 " + "a".repeat(64) + "\n");
            VerifyReport report = AuditVerifier.verify(ds(db), head);
            assertThat(report.firstBadSeq()).isEqualTo(8L);
            assertThat(report.problem()).startsWith("record 8 is not the record the head file names");

            Files.delete(head.file());
            assertThat(AuditVerifier.verify(ds(db), head).problem()).contains("is missing or empty, but the trail "
                    + "has 10 record(s)");
        }
    }

    /** Ten events in three appends: seq 1 to 10. */
    private static void fill(TestDatabase db, AuditHeadFile head) {
        AuditStore store = new AuditStore(ds(db), head);
        store.append(AuditEvents.batch(3));
        store.append(AuditEvents.batch(4));
        store.append(AuditEvents.batch(3));
    }

    private static String hashOf(TestDatabase db, long seq) throws Exception {
        try (Connection c = ds(db).getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT hash FROM audit_event WHERE seq = " + seq)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void sql(TestDatabase db, String sql) throws Exception {
        try (Connection c = ds(db).getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static DataSource ds(TestDatabase db) {
        return db.database().dataSource();
    }
}
