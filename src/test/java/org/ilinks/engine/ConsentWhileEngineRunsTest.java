package org.ilinks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.ilinks.cli.IlinksCommand;
import org.ilinks.config.Settings;
import org.ilinks.governance.consent.ConsentChoice;
import org.ilinks.governance.consent.ConsentDecider;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.support.IntakeSender;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ilinks consent record} while the engine runs on its default H2 file database (mixed mode, AUTO_SERVER):
 * in the engine's own JVM, and from a second process while the engine runs as {@code ilinks run} in a child JVM,
 * where the engine must then withhold the patient's messages and still stop cleanly.
 */
class ConsentWhileEngineRunsTest {

    private static final String DISSENTING = "9434765919";
    private static final String OTHER = "9434765870";

    @TempDir
    Path root;

    @Test
    void aDirectiveRecordedWhileTheEngineRunsInThisJvmIsSeenByItsRegistry() throws Exception {
        try (TestEngine engine = new TestEngine(root).folderService("ward", "ADT^A01")) {
            sameDataDirForTheCommandLine(engine);
            engine.start();
            assertThat(engine.settings().databaseUrl()).endsWith(";AUTO_SERVER=TRUE");

            Result recorded = record(engine);

            assertThat(recorded.exitCode).as(recorded.err).isZero();
            assertThat(recorded.out).startsWith("recorded directive 1: dissent from all sharing");
            List<ConsentDirective> seen = new ConsentRegistry(engine.engine().dataSource()).directivesFor(DISSENTING);
            assertThat(seen).singleElement().satisfies(d -> {
                assertThat(d.id()).isEqualTo(1L);
                assertThat(d.choice()).isEqualTo(ConsentChoice.DISSENT);
                assertThat(d.recordedBy()).isEqualTo("Dr A Example");
            });
        }
    }

    @Test
    void aSecondProcessRecordsWhileTheEngineRunsAndTheEngineActsOnItThenStopsCleanly() throws Exception {
        TestEngine layout = new TestEngine(root).folderService("ward", "ADT^A01");
        sameDataDirForTheCommandLine(layout);
        Path logs = Files.createDirectories(root.resolve("logs"));
        try (ChildEngine child = ChildEngine.start(layout, TestEngine.freePort(), logs, "engine")) {
            // This JVM is the second process: the child opened the database first and serves it.
            Result recorded = record(layout);
            assertThat(recorded.exitCode).as(recorded.err + "\nchild stderr:\n" + child.stderr()).isZero();
            assertThat(recorded.out).startsWith("recorded directive 1: dissent from all sharing");
            Result shown = run("consent", "show", "--config", layout.configDir().toString(), "--routes",
                    layout.routesDir().toString(), DISSENTING);
            assertThat(shown.exitCode).as(shown.err).isZero();
            assertThat(shown.out).contains("ward", "WITHHELD", "DISSENT_ALL");

            try (IntakeSender sender = new IntakeSender(layout.port())) {
                assertThat(sender.send(admission("MIXED-1", DISSENTING))).isEqualTo("AA");
                assertThat(sender.send(admission("MIXED-2", OTHER))).isEqualTo("AA");
            }
            try (Database db = Database.open(layout.settings())) {
                await("both admissions routed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> decisions(db).size() == 2);
                assertThat(decisions(db)).containsExactly(DISSENTING + " WITHHELD DISSENT_ALL",
                        OTHER + " SEND NO_DIRECTIVE_OPT_OUT");
            }
            await("the other patient's admission delivered").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).until(() -> delivered(layout).size() == 1);
            assertThat(delivered(layout)).singleElement().satisfies(text ->
                    assertThat(text).contains("MIXED-2").doesNotContain(DISSENTING));

            assertThat(child.terminate()).as("exit status after SIGTERM; stderr:\n" + child.stderr()).isZero();
        }
        // The engine is gone: this JVM now opens the file itself and finds the directive in it.
        try (Database db = Database.open(layout.settings())) {
            assertThat(new ConsentRegistry(db.dataSource()).directivesFor(DISSENTING)).hasSize(1);
        }
    }

    /** Each routing decision for the ward as "nhs outcome reason", by NHS number. */
    private static List<String> decisions(Database db) throws java.sql.SQLException {
        try (java.sql.Connection c = db.dataSource().getConnection();
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT nhs_number || ' ' || outcome || ' ' || reason_code "
                     + "FROM routing_decision WHERE service_id = 'ward' ORDER BY nhs_number DESC")) {
            List<String> rows = new java.util.ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    /** The command line reads config/application.properties only, so the data dir must be in it. */
    private static void sameDataDirForTheCommandLine(TestEngine engine) throws IOException {
        Files.writeString(engine.configDir().resolve(Settings.FILE_NAME), "ilinks.data.dir="
                + engine.dataDir().toString().replace("\\", "/") + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
    }

    private static Result record(TestEngine engine) {
        return run("consent", "record", "--config", engine.configDir().toString(), "--routes",
                engine.routesDir().toString(), "--nhs-number", DISSENTING, "--scope", "all", "--decision", "dissent",
                "--from", LocalDate.now(ConsentDecider.ZONE).minusDays(1).toString(), "--source", "practice",
                "--source-id", "N81013", "--recorded-by", "Dr A Example");
    }

    private static List<String> delivered(TestEngine layout) throws IOException {
        Path out = layout.folderOut("ward");
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readString(f, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    /** A synthetic admission for a synthetic patient with a verified NHS number. */
    private static byte[] admission(String controlId, String nhsNumber) {
        String text = String.join("\r",
                "MSH|^~\\&|PAS|REM|ILINKS|NMERSEY|20261129094500||ADT^A01^ADT_A01|" + controlId + "|P|2.4|||AL|NE",
                "EVN|A01|20261129094500",
                "PID|1||" + nhsNumber + "^^^NHS^NH||TESTER^ALEX||19800101|U|||||||||||||||||||||||||||01",
                "PV1|1|I|AMU^BAY1^BED1^REM") + "\r";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exitCode = cl.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {
    }
}
