package org.ilinks.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.SftpKeys;
import org.ilinks.support.SftpServer;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each practice file is taken once and each record delivered once: not before the file is complete, not twice after
 * a failure between queueing its records and completing its claim, not twice by two engines polling one server; and
 * not at all from a server whose host key is not the known one.
 */
class ExtractExactlyOnceTest {

    @TempDir
    Path root;

    private PracticeServer practice;
    private final List<TestEngine> engines = new ArrayList<>();
    private org.ilinks.engine.ChildEngine child;

    @AfterEach
    void tearDown() {
        if (child != null) {
            child.close();
        }
        engines.forEach(TestEngine::close);
        if (practice != null) {
            practice.close();
        }
    }

    private TestEngine engine(String name) {
        TestEngine engine = new TestEngine(root.resolve(name)).folderService("ward", "ADT^A08")
                .set("ilinks.node.name", name);
        engines.add(engine);
        return practice.configure(engine);
    }

    @Test
    void aFileStillBeingWrittenIsLeftAloneUntilItIsComplete() throws Exception {
        practice = PracticeServer.start(root.resolve("practice"));
        TestEngine engine = engine("writer").start();
        List<byte[]> records = PracticeServer.records("SLOW", 3);
        byte[] file = PracticeServer.batch(records, 3);
        Path target = practice.root().resolve("outbox/slow.hl7");
        DataSource db = engine.engine().dataSource();

        // The supplier writes straight into the polled folder, a few bytes at a time, for longer than many polls.
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            for (int i = 0; i < file.length; i += 40) {
                out.write(file, i, Math.min(40, file.length - i));
                out.flush();
                Thread.sleep(100);
                assertThat(PracticeServer.claims(db)).as("claims while %d of %d bytes are written", i, file.length)
                        .isEmpty();
            }
        }

        await("file done").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(practice.root().resolve("done/slow.hl7")));
        assertThat(PracticeServer.claims(db)).containsExactly("slow.hl7 DONE 3/3/0");
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT size_bytes FROM extract_file")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the size taken").isEqualTo(file.length);
        }
        await("delivered").atMost(Duration.ofSeconds(30))
                .until(() -> PracticeServer.filesIn(engine.folderOut("ward")).size() == 3);
    }

    @Test
    void aFailureBetweenQueueingAndCompletingTheClaimDeliversNoRecordTwiceAcrossRetriesAndARestart() throws Exception {
        practice = PracticeServer.start(root.resolve("practice"));
        TestEngine engine = engine("crashing").start();
        // The fault: the database refuses to complete any claim, after the file's records are queued (committed).
        execute(engine.engine().dataSource(), "ALTER TABLE extract_file ADD CONSTRAINT test_fault CHECK (state = 'CLAIMED')");
        List<byte[]> records = PracticeServer.records("CRASH", 3);
        practice.drop("crash.hl7", PracticeServer.batch(records, 3));

        await("delivered once, and queued again by a retry").atMost(Duration.ofSeconds(60)).until(() ->
                PracticeServer.filesIn(engine.folderOut("ward")).size() >= 3
                        && count(engine.engine().dataSource(), "duplicate_message") >= 3);
        engine.stop(); // and a restart of the same node, its claim still open
        engine.start();
        await("queued again after the restart").atMost(Duration.ofSeconds(60))
                .until(() -> count(engine.engine().dataSource(), "duplicate_message") >= 6);
        assertThat(PracticeServer.claims(engine.engine().dataSource())).containsExactly("crash.hl7 CLAIMED 0/0/0");
        assertThat(Files.exists(practice.root().resolve("outbox/crash.hl7"))).as("left on the server").isTrue();
        execute(engine.engine().dataSource(), "ALTER TABLE extract_file DROP CONSTRAINT test_fault");

        await("file done").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(practice.root().resolve("done/crash.hl7")));
        assertThat(PracticeServer.claims(engine.engine().dataSource())).containsExactly("crash.hl7 DONE 3/3/0");
        List<String> delivered = new ArrayList<>();
        for (Path f : PracticeServer.filesIn(engine.folderOut("ward"))) {
            delivered.add(SequencedMessages.controlIdOf(Files.readAllBytes(f)));
        }
        assertThat(delivered).as("each record delivered exactly once")
                .containsExactlyInAnyOrderElementsOf(SequencedMessages.controlIdsOf(records));
    }

    @Test
    void twoEnginesPollingOneServerTakeEachFileOnce() throws Exception {
        practice = PracticeServer.start(root.resolve("practice"));
        // Two engines in two JVMs (an embedded broker is one per JVM), one database: the in-process one serves it.
        String sharedDb = "jdbc:h2:file:" + root.resolve("shared-db/ilinks") + ";AUTO_SERVER=TRUE";
        TestEngine a = engine("node-a").set("ilinks.db.url", sharedDb).start();
        TestEngine b = engine("node-b");
        Files.writeString(b.configDir().resolve("application.properties"), "ilinks.db.url=" + sharedDb
                + "\nilinks.node.name=node-b\n", StandardOpenOption.APPEND);
        child = org.ilinks.engine.ChildEngine.start(b, TestEngine.freePort(), root, "node-b");
        List<String> expected = new ArrayList<>();
        for (int f = 0; f < 6; f++) {
            List<byte[]> records = PracticeServer.records("TWO" + f, 2);
            expected.addAll(SequencedMessages.controlIdsOf(records));
            practice.drop("two-" + f + ".hl7", PracticeServer.batch(records, 2));
        }

        await("every file done").atMost(Duration.ofSeconds(90)).until(() -> {
            try (var files = Files.list(practice.root().resolve("outbox"))) {
                return files.findAny().isEmpty() && PracticeServer.claims(a.engine().dataSource()).stream()
                        .filter(c -> c.endsWith("DONE 2/2/0")).count() == 6;
            }
        });
        await("every record delivered").atMost(Duration.ofSeconds(30)).until(() ->
                PracticeServer.filesIn(a.folderOut("ward")).size() + PracticeServer.filesIn(b.folderOut("ward")).size()
                        >= expected.size());

        assertThat(PracticeServer.claims(a.engine().dataSource())).hasSize(6);
        assertThat(count(a.engine().dataSource(), "duplicate_message")).as("no record queued twice").isZero();
        List<String> delivered = new ArrayList<>();
        for (TestEngine e : List.of(a, b)) {
            for (Path f : PracticeServer.filesIn(e.folderOut("ward"))) {
                delivered.add(SequencedMessages.controlIdOf(Files.readAllBytes(f)));
            }
        }
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aServerWhoseHostKeyIsNotKnownIsRefusedAndTheStatusSaysWhy() throws Exception {
        practice = PracticeServer.start(root.resolve("practice"));
        TestEngine engine = engine("careful").start();
        await("first poll").atMost(Duration.ofSeconds(30)).until(() ->
                engine.engine().extracts().status().get(0).lastSuccessfulPoll() != null);

        // The engine's known_hosts no longer lists this server (as on a new engine whose file was not updated); the
        // server comes back on the same address and the engine must reconnect.
        int port = practice.server().port();
        String line = practice.server().knownHostsLine();
        practice.server().close();
        SftpKeys.knownHosts(engine.configDir().resolve("practice-keys/known_hosts"),
                line.replace("[127.0.0.1]", "[127.0.0.2]"));
        try (SftpServer again = SftpServer.start(practice.root(), root.resolve("practice/engine-key.pub"),
                practice.hostKeyFile(), port)) {
            practice.drop("refused.hl7", PracticeServer.batch(PracticeServer.records("REF", 1), 1));

            await("refused").atMost(Duration.ofSeconds(30)).until(() ->
                    engine.engine().extracts().status().get(0).lastError() != null);
            String error = engine.engine().extracts().status().get(0).lastError();
            assertThat(error).contains("the host key of 127.0.0.1:" + port + " is not in")
                    .contains("refused, nothing was taken").doesNotContain(line.split(" ")[2].substring(0, 20));
            assertThat(PracticeServer.claims(engine.engine().dataSource())).isEmpty();
            assertThat(Files.exists(practice.root().resolve("outbox/refused.hl7"))).isTrue();
        }
    }

    private static void execute(DataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(DataSource db, String table) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
