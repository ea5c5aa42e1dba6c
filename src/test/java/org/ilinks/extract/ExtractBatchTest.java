package org.ilinks.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HL7 files from a practice's SFTP server (embedded MINA SSHD) to the services, through the same governance and
 * delivery as MLLP messages; bad files to the failed folder with a reason; malformed records parked.
 */
class ExtractBatchTest {

    @TempDir
    Path root;

    private PracticeServer practice;
    private TestEngine engine;

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (practice != null) {
            practice.close();
        }
    }

    private TestEngine start() throws Exception {
        practice = PracticeServer.start(root.resolve("practice"));
        engine = practice.configure(new TestEngine(root.resolve("engine"))
                .folderService("ward", "ADT^A08").folderService("gp-feed", "ADT^A08"));
        return engine.start();
    }

    @Test
    void aBatchFileIsDeliveredToEachServiceThenMovedToTheDoneFolder() throws Exception {
        start();
        List<byte[]> records = PracticeServer.records("BATCH", 3);
        practice.drop("extract-0001.hl7", PracticeServer.batch(records, 3));

        await("file done on the server").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(practice.root().resolve("done/extract-0001.hl7")));
        await("delivered to both services").atMost(Duration.ofSeconds(30)).until(() ->
                PracticeServer.filesIn(engine.folderOut("ward")).size() == 3
                        && PracticeServer.filesIn(engine.folderOut("gp-feed")).size() == 3);

        assertThat(controlIds(engine.folderOut("ward")))
                .containsExactlyInAnyOrderElementsOf(SequencedMessages.controlIdsOf(records));
        assertThat(Files.exists(practice.root().resolve("outbox/extract-0001.hl7"))).isFalse();
        assertThat(PracticeServer.claims(engine.engine().dataSource())).containsExactly("extract-0001.hl7 DONE 3/3/0");
        String sha = ExtractPipeline.sha256(PracticeServer.batch(records, 3));
        assertThat(PracticeServer.auditDetails(engine.engine().dataSource(), "FILE_RECEIVED")).singleElement()
                .asString().contains("extract-0001.hl7").contains(sha).contains("bytes");
        assertThat(PracticeServer.auditDetails(engine.engine().dataSource(), "FILE_DONE")).singleElement()
                .asString().contains("3 record(s) queued");
        assertThat(PracticeServer.auditDetails(engine.engine().dataSource(), "RECEIVED"))
                .hasSize(3).allSatisfy(d -> assertThat(d).startsWith("SFTP file N81013/extract-0001.hl7"));

        // The status, as support sees it through the admin API.
        new org.ilinks.admin.UserStore(engine.engine().dataSource()).create(new org.ilinks.admin.AdminUser("support1",
                org.ilinks.admin.PasswordHash.of("support-password-1"), java.util.Set.of(org.ilinks.admin.Role.SUPPORT),
                false, false, java.time.Instant.now()));
        org.ilinks.support.AdminClient api = new org.ilinks.support.AdminClient(engine);
        var status = org.ilinks.support.AdminClient.json(api.get("/api/extracts",
                api.login("support1", "support-password-1"))).path("practices").get(0);
        assertThat(status.path("ods").asText()).isEqualTo("N81013");
        assertThat(status.path("lastSuccessfulPoll").isTextual()).isTrue();
        assertThat(status.path("today").path("done").asInt()).isEqualTo(1);
        assertThat(status.path("today").path("recordsQueued").asInt()).isEqualTo(3);
        assertThat(status.path("lastFile").path("name").asText()).isEqualTo("extract-0001.hl7");
        assertThat(status.path("lastFile").path("state").asText()).isEqualTo("DONE");
    }

    @Test
    void theSameFileNameArrivingAgainWithOtherContentIsANewFile() throws Exception {
        start();
        List<byte[]> first = PracticeServer.records("FIRST", 2);
        practice.drop("daily.hl7", PracticeServer.batch(first, 2));
        await("first file done and moved").atMost(Duration.ofSeconds(60))
                .until(() -> PracticeServer.claims(engine.engine().dataSource()).contains("daily.hl7 DONE 2/2/0")
                        && Files.exists(practice.root().resolve("done/daily.hl7"))
                        && !Files.exists(practice.root().resolve("outbox/daily.hl7")));
        List<byte[]> second = PracticeServer.records("SECOND", 3);
        practice.drop("daily.hl7", PracticeServer.batch(second, 3));

        await("second file, same name, done too").atMost(Duration.ofSeconds(60)).until(() ->
                PracticeServer.claims(engine.engine().dataSource()).size() == 2
                        && !Files.exists(practice.root().resolve("outbox/daily.hl7")));
        assertThat(PracticeServer.claims(engine.engine().dataSource()))
                .containsExactlyInAnyOrder("daily.hl7 DONE 2/2/0", "daily.hl7 DONE 3/3/0");
        await("both delivered").atMost(Duration.ofSeconds(30))
                .until(() -> PracticeServer.filesIn(engine.folderOut("ward")).size() == 5);
        List<String> all = new java.util.ArrayList<>(SequencedMessages.controlIdsOf(first));
        all.addAll(SequencedMessages.controlIdsOf(second));
        assertThat(controlIds(engine.folderOut("ward"))).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void aPlainMultiMessageFileIsDeliveredAndDeletedWhenThePracticeSaysDelete() throws Exception {
        practice = PracticeServer.start(root.resolve("practice"));
        engine = practice.configure(new TestEngine(root.resolve("engine")).folderService("ward", "ADT^A08"),
                "  delete: true\n").start();
        List<byte[]> records = PracticeServer.records("PLAIN", 2);
        practice.drop("plain.hl7", PracticeServer.plain(records));

        await("file deleted").atMost(Duration.ofSeconds(60))
                .until(() -> !Files.exists(practice.root().resolve("outbox/plain.hl7")));
        await("delivered").atMost(Duration.ofSeconds(30))
                .until(() -> PracticeServer.filesIn(engine.folderOut("ward")).size() == 2);
        assertThat(Files.exists(practice.root().resolve("done"))).isFalse();
        assertThat(PracticeServer.claims(engine.engine().dataSource())).containsExactly("plain.hl7 DONE 2/2/0");
    }

    @Test
    void aBatchWhoseTrailerDisagreesGoesToTheFailedFolderWithItsReasonAndNothingIsDelivered() throws Exception {
        start();
        practice.drop("short.hl7", PracticeServer.batch(PracticeServer.records("SHORT", 2), 3));

        await("file failed").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(practice.root().resolve("failed/short.hl7")));
        String reason = Files.readString(practice.root().resolve("failed/short.hl7.reason.txt"));

        assertThat(reason).contains("batch trailer counts do not match the file")
                .contains("declares 3 message(s) but 2 were found").contains("send it again")
                .doesNotContain("SHORT-P");
        assertThat(PracticeServer.claims(engine.engine().dataSource())).containsExactly("short.hl7 FAILED 0/0/0");
        assertThat(PracticeServer.auditDetails(engine.engine().dataSource(), "FILE_FAILED")).singleElement()
                .asString().contains("short.hl7").contains("nothing from it was delivered");
        assertThat(PracticeServer.filesIn(engine.folderOut("ward"))).isEmpty();
        assertThat(PracticeServer.auditDetails(engine.engine().dataSource(), "RECEIVED")).isEmpty();
    }

    @Test
    void aFileThatIsNotHl7OrNotInItsDeclaredEncodingGoesToTheFailedFolder() throws Exception {
        start();
        practice.drop("utf16.hl7", new String(PracticeServer.plain(PracticeServer.records("U16", 1)),
                StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_16));
        byte[] latin = new String(SequencedMessages.message("BADUTF", 1, 1), StandardCharsets.ISO_8859_1)
                .replace("TEST^PATIENT", "T\u00c9ST^PATIENT").replace("|GBR", "|GBR|UNICODE UTF-8")
                .getBytes(StandardCharsets.ISO_8859_1);
        practice.drop("latin1.hl7", latin);

        await("both failed").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(practice.root().resolve("failed/utf16.hl7"))
                        && Files.exists(practice.root().resolve("failed/latin1.hl7")));

        assertThat(Files.readString(practice.root().resolve("failed/utf16.hl7.reason.txt")))
                .contains("holds no HL7 message");
        assertThat(Files.readString(practice.root().resolve("failed/latin1.hl7.reason.txt")))
                .contains("message 1 (line 1) is not in the encoding the file declares (UTF-8");
        assertThat(PracticeServer.filesIn(engine.folderOut("ward"))).isEmpty();
    }

    @Test
    void aMalformedRecordIsParkedWithItsFileAndLineAndTheRestFlow() throws Exception {
        start();
        List<byte[]> records = new ArrayList<>(PracticeServer.records("PART", 3));
        records.set(1, new String(records.get(1), StandardCharsets.ISO_8859_1).replace("|P|2.4|", "|P|9.9|")
                .getBytes(StandardCharsets.ISO_8859_1));
        practice.drop("partial.hl7", PracticeServer.batch(records, 3));

        await("file done").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(practice.root().resolve("done/partial.hl7")));
        await("the good ones delivered").atMost(Duration.ofSeconds(30))
                .until(() -> PracticeServer.filesIn(engine.folderOut("ward")).size() == 2);

        assertThat(controlIds(engine.folderOut("ward"))).containsExactlyInAnyOrder("PART-P0-S1", "PART-P2-S1");
        assertThat(PracticeServer.claims(engine.engine().dataSource())).containsExactly("partial.hl7 PARTIAL 3/2/1");
        // Line 3 + 4 lines per record: the second record's MSH is on line 7.
        assertThat(PracticeServer.auditDetails(engine.engine().dataSource(), "PARKED")).singleElement().asString()
                .contains("file partial.hl7 line 7: 203 Unsupported version id at MSH-12").doesNotContain("PART-P1");
        try (var c = engine.engine().dataSource().getConnection(); var rs = c.createStatement().executeQuery(
                "SELECT routing, routing_reason, control_id FROM message_record WHERE routing = 'PARKED'")) {
            assertThat(rs.next()).as("the parked record is in the message history, for replay").isTrue();
            assertThat(rs.getString(2)).startsWith("file partial.hl7 line 7: 203");
            assertThat(rs.getString(3)).isEqualTo("PART-P1-S1");
            assertThat(rs.next()).isFalse();
        }
    }

    private static List<String> controlIds(Path folder) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Path f : PracticeServer.filesIn(folder)) {
            ids.add(SequencedMessages.controlIdOf(Files.readAllBytes(f)));
        }
        return ids;
    }
}
