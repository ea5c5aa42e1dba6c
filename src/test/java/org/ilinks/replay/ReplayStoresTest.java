package org.ilinks.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import org.ilinks.history.ContentCipher;
import org.ilinks.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The replay tables (migration V9) on H2 and PostgreSQL: jobs and their progress, and edits stored like content. */
class ReplayStoresTest {

    private static final String MESSAGE = "01M8CB1X73ZZ3A504B03F9NGFB";
    private static final String OTHER = "01M8CB1X73ZZ3A504B03F9NGFC";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aJobKeepsItsMessagesInOrderRecordsEachOutcomeAndMovesBetweenStates(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            ReplayJobStore store = new ReplayJobStore(db.database().dataSource(), Clock.systemUTC());
            store.create(new ReplayJobStore.NewJob("01M8CB1X73ZZ3A504B03F9NJOB", "sam", "127.0.0.1", "INC-1",
                    "2 messages by id", null, false, 20, List.of(MESSAGE, OTHER), null));

            assertThat(store.pending("01M8CB1X73ZZ3A504B03F9NJOB")).extracting(ReplayJobStore.Pending::messageId)
                    .containsExactly(MESSAGE, OTHER);
            store.record("01M8CB1X73ZZ3A504B03F9NJOB", 0, MESSAGE, List.of(
                    new ReplayResult(MESSAGE, "ward", ReplayOutcome.QUEUED, "queued again"),
                    new ReplayResult(MESSAGE, "planning", ReplayOutcome.WITHHELD, "withheld today: NO_CONSENT_OPT_IN")));

            ReplayJob job = store.job("01M8CB1X73ZZ3A504B03F9NJOB", true).orElseThrow();
            assertThat(job.messages()).isEqualTo(2);
            assertThat(job.messagesDone()).isEqualTo(1);
            assertThat(job.counts()).containsEntry(ReplayOutcome.QUEUED, 1).containsEntry(ReplayOutcome.WITHHELD, 1)
                    .containsEntry(ReplayOutcome.PENDING, 1);
            assertThat(job.items()).extracting(ReplayJob.Item::serviceId).containsExactly("ward", "planning", null);
            assertThat(store.pending("01M8CB1X73ZZ3A504B03F9NJOB")).extracting(ReplayJobStore.Pending::seq)
                    .containsExactly(1);

            assertThat(store.running()).containsExactly("01M8CB1X73ZZ3A504B03F9NJOB");
            assertThat(store.state("01M8CB1X73ZZ3A504B03F9NJOB", ReplayJob.State.STOPPED, "stopped by sam",
                    ReplayJob.State.RUNNING)).isTrue();
            assertThat(store.state("01M8CB1X73ZZ3A504B03F9NJOB", ReplayJob.State.DONE, null,
                    ReplayJob.State.RUNNING)).as("only from the state named").isFalse();
            assertThat(store.recent(10)).singleElement().satisfies(j -> {
                assertThat(j.state()).isEqualTo(ReplayJob.State.STOPPED);
                assertThat(j.stateReason()).isEqualTo("stopped by sam");
                assertThat(j.items()).as("listed without items").isEmpty();
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anEditIsStoredEncryptedWithItsDiffAndReadBack(String kind) throws Exception {
        Path key = Files.writeString(tmp.resolve("history.key"), HexFormat.of().formatHex(new byte[32]).replace('0',
                'a'));
        ContentCipher cipher = ContentCipher.fromKeyFile(key);
        String original = "MSH|^~\\&|A|B\rPID|1||9434765919^^^NHS^NH||SMITH^JO\rPV1|1|I|WARD1\r";
        String edited = "MSH|^~\\&|A|B\rPID|1||9434765919^^^NHS^NH||SMITH^JO\rPV1|1|I|WARD9\r";
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            MessageEdits edits = new MessageEdits(db.database().dataSource(), cipher, Clock.systemUTC());
            MessageEdits.Recorded recorded = edits.record(MESSAGE, "ward", "bea", "INC-2 wrong ward", original,
                    edited);
            long id = recorded.editId();
            assertThat(recorded.summary()).isEqualTo("1 segment(s) removed, 1 added");

            assertThat(new String(edits.content(id).orElseThrow(), StandardCharsets.UTF_8)).isEqualTo(edited);
            assertThat(edits.revealPatientEdits(MESSAGE)).singleElement().satisfies(e -> {
                assertThat(e.editedBy()).isEqualTo("bea");
                assertThat(e.diff()).isEqualTo("  MSH|^~\\&|A|B\n  PID|1||9434765919^^^NHS^NH||SMITH^JO\n"
                        + "- PV1|1|I|WARD1\n+ PV1|1|I|WARD9\n");
            });
            assertThat(edits.revealPatientEdits(OTHER)).isEmpty();
            try (Connection c = db.database().dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT content, diff FROM message_edit")) {
                rs.next();
                assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).as("encrypted at rest")
                        .doesNotContain("9434765919").doesNotContain("WARD9");
                assertThat(new String(rs.getBytes(2), StandardCharsets.ISO_8859_1)).doesNotContain("9434765919");
            }
        }
    }

    @Test
    void theDiffMarksEachSegmentKeptRemovedOrAdded() {
        assertThat(SegmentDiff.between("MSH|1\rPID|a\rPV1|x\rOBX|1", "MSH|1\nPID|b\nPV1|x\nOBX|1\nOBX|2"))
                .isEqualTo("  MSH|1\n- PID|a\n+ PID|b\n  PV1|x\n  OBX|1\n+ OBX|2\n");
        assertThat(SegmentDiff.between("MSH|1\rNTE|gone", "MSH|1")).isEqualTo("  MSH|1\n- NTE|gone\n");
        assertThat(SegmentDiff.summary("  MSH|1\n- PID|a\n+ PID|b\n+ OBX|2\n")).isEqualTo(
                "1 segment(s) removed, 2 added");
    }
}
