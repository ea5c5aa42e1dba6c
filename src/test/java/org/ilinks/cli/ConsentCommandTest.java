package org.ilinks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.ilinks.governance.consent.ConsentDecider;
import org.ilinks.support.LogCapture;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ilinks consent import FILE.csv} against a real H2 database in a temp data dir: good rows kept, bad rows
 * reported by line without their values, the summary, the exit status, and the consent_import record. Then
 * {@code record}, {@code end} and {@code show}: output, exit status, bad input named by option.
 */
class ConsentCommandTest {

    private static final String HEADER =
            "nhs_number,scope,scope_value,decision,effective_from,effective_to,source_type,source_id,recorded_by,reason";
    /** Every NHS number used below, valid or not: none may appear in any output or log line. */
    private static final List<String> NHS_NUMBERS = List.of("9434765919", "9434765918", "9876543210", "9434765870",
            "943 476 5870", "12345678");

    @TempDir
    Path tmp;
    Path config;

    @BeforeEach
    void config() throws Exception {
        config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("application.properties"),
                "ilinks.data.dir=" + tmp.resolve("data").toString().replace("\\", "/") + "\n");
    }

    @Test
    void keepsGoodRowsReportsBadOnesByLineAndRecordsTheImport() throws Exception {
        Path csv = csv(HEADER,
                "9434765919,all,,dissent,2026-03-01,,practice,N81013,Dr A Example,asked at surgery",
                "9434765918,all,,dissent,2026-03-01,,practice,N81013,Dr A Example,",
                "9876543210,service,planning-feed,consent,2026-01-15,2027-01-14,patient,,web form,\"yes, for research\"",
                "",
                "943 476 5870,everything,,maybe,2026-02-30,,practice,,someone,",
                "9434765870,all",
                "943 476 5870,category,research,dissent,2026-02-01,2026-01-01,clinician,C123,ward clerk,",
                "12345678,all,,dissent,2026-03-01,,nurse,,,",
                "9434765870,category,research,dissent,2026-02-01,,clinician,C123,ward clerk,\"said so\"");

        Result result;
        try (LogCapture logs = new LogCapture()) {
            result = run("import", "--config", config.toString(), "--run-by", "tester", csv.toString());
            assertNoNhsNumber(logs.text());
        }

        assertThat(result.exitCode).as(result.err).isEqualTo(1);
        assertThat(result.err.lines()).containsExactly(
                "line 3: nhs_number fails the Modulus 11 check",
                "line 6: scope must be all, service or category; decision must be dissent or consent; "
                        + "effective_from is not a date in the form yyyy-MM-dd; source_id is required when "
                        + "source_type is practice (the practice's ODS code)",
                "line 7: has 2 column(s), the header has 10",
                "line 8: effective_to is before effective_from",
                "line 9: nhs_number is not 10 digits; source_type must be practice, patient or clinician; "
                        + "recorded_by is empty");
        assertThat(result.out.lines()).containsExactly("imported 3, rejected 5");
        assertNoNhsNumber(result.out + result.err);
        try (Connection c = h2(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, file_name, run_by, rows_imported, rows_rejected, "
                    + "started_at, finished_at FROM consent_import")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("file_name")).endsWith("consent.csv");
                assertThat(rs.getString("run_by")).isEqualTo("tester");
                assertThat(rs.getInt("rows_imported")).isEqualTo(3);
                assertThat(rs.getInt("rows_rejected")).isEqualTo(5);
                assertThat(rs.getObject("started_at")).isNotNull();
                assertThat(rs.getObject("finished_at")).isNotNull();
                long importId = rs.getLong("id");
                assertThat(rs.next()).isFalse();
                assertThat(column(s, "SELECT nhs_number FROM consent_directive WHERE import_id = " + importId
                        + " ORDER BY id")).containsExactly("9434765919", "9876543210", "9434765870");
            }
            assertThat(column(s, "SELECT reason FROM consent_directive ORDER BY id"))
                    .containsExactly("asked at surgery", "yes, for research", "said so");
            assertThat(column(s, "SELECT scope || ':' || COALESCE(scope_value, '') || ':' || decision || ':' "
                    + "|| source_type FROM consent_directive ORDER BY id")).containsExactly(
                    "ALL::DISSENT:PRACTICE", "SERVICE:planning-feed:CONSENT:PATIENT",
                    "CATEGORY:research:DISSENT:CLINICIAN");
        }
    }

    @Test
    void allGoodRowsGiveExitZeroAndQuotedLineBreaksKeepLineNumbersRight() throws Exception {
        Path csv = csv("\uFEFF" + "reason,recorded_by,source_id,source_type,effective_to,effective_from,decision,"
                        + "scope_value,scope,nhs_number",
                "\"two\nlines\",Dr B,N81013,practice,,2026-03-01,dissent,,all,9434765919",
                "x,Dr B,N81013,practice,,2026-03-01,maybe,,all,9876543210");

        Result result = run("import", "--config", config.toString(), csv.toString());

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.err.lines()).containsExactly("line 4: decision must be dissent or consent");
        assertThat(result.out.lines()).containsExactly("imported 1, rejected 1");

        Path good = csv(HEADER, "9434765919,service,aintree-ae,consent,2026-03-01,,patient,,Self,");
        Result second = run("import", "--config", config.toString(), good.toString());
        assertThat(second.exitCode).isZero();
        assertThat(second.out.lines()).containsExactly("imported 1, rejected 0");
        assertThat(second.err).isEmpty();
        try (Connection c = h2(); Statement s = c.createStatement()) {
            assertThat(column(s, "SELECT rows_imported || '/' || rows_rejected FROM consent_import ORDER BY id"))
                    .containsExactly("1/1", "1/0");
        }
    }

    @Test
    void aFileWithoutAHeaderIsAUsageErrorThatDoesNotQuoteTheRow() throws Exception {
        Path csv = csv("9434765919,all,,dissent,2026-03-01,,practice,N81013,Dr A Example,asked at surgery");

        Result result = run("import", "--config", config.toString(), csv.toString());

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err).contains("line 1: the first row is not a header (it must name the columns: nhs_number,")
                .contains("nothing imported");
        assertNoNhsNumber(result.out + result.err);
    }

    @Test
    void aHeaderWithAMisspeltColumnNamesIt() throws Exception {
        Path csv = csv(HEADER.replace("recorded_by", "recordedby"),
                "9434765919,all,,dissent,2026-03-01,,practice,N81013,Dr A Example,");

        Result result = run("import", "--config", config.toString(), csv.toString());

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err).contains("line 1: missing column(s) recorded_by; unknown column(s) recordedby");
    }

    @Test
    void usageErrorsGiveExitTwo() throws Exception {
        assertThat(run("import", "--config", config.toString(), tmp.resolve("absent.csv").toString()).err)
                .contains("cannot read").contains("no such file");
        assertThat(run("import", "--config", config.toString(), tmp.resolve("absent.csv").toString()).exitCode)
                .isEqualTo(2);
        assertThat(run("import").exitCode).as("no file").isEqualTo(2);
        assertThat(run().exitCode).as("no subcommand").isEqualTo(2);
        assertThat(run("import", "--config", config.toString(), csv().toString()).err).contains("the file is empty");
    }

    @Test
    void theHelpDocumentsEveryColumnAndIsWiredIntoIlinks() {
        StringWriter out = new StringWriter();
        picocli.CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));

        int exit = cl.execute("consent", "import", "--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Usage: ilinks consent import");
        for (String column : org.ilinks.governance.consent.ConsentCsvFormat.COLUMNS) {
            assertThat(out.toString()).contains(column);
        }
    }

    @Test
    void recordShowEndAndShowAgain() throws Exception {
        services();
        String from = LocalDate.now(ConsentDecider.ZONE).minusDays(10).toString();
        String until = LocalDate.now(ConsentDecider.ZONE).plusDays(100).toString();
        Result dissent;
        Result consent;
        Result shown;
        try (LogCapture logs = new LogCapture()) {
            dissent = run("record", "--config", config.toString(), "--nhs-number", "943 476 5919", "--scope", "all",
                    "--decision", "dissent", "--from", from, "--source", "practice", "--source-id", "N81013",
                    "--recorded-by", "Dr A Example", "--reason", "asked at surgery");
            consent = run("record", "--config", config.toString(), "--nhs-number", "9434765919", "--scope",
                    "category", "--scope-value", "research", "--decision", "consent", "--from", from, "--to", until,
                    "--source", "patient", "--recorded-by", "web form");
            shown = run("show", "--config", config.toString(), "943 476 5919");
            assertNoNhsNumber(logs.text());
        }

        assertThat(dissent.exitCode).as(dissent.err).isZero();
        assertThat(dissent.out.lines()).containsExactly("recorded directive 1: dissent from all sharing recorded "
                + from + " by practice N81013");
        assertThat(dissent.err).isEmpty();
        assertThat(consent.exitCode).as(consent.err).isZero();
        assertThat(consent.out.lines()).containsExactly("recorded directive 2: consent to sharing with research "
                + "services recorded " + from + " by the patient, in effect until " + until);
        assertNoNhsNumber(dissent.out + dissent.err + consent.out + consent.err);

        assertThat(shown.exitCode).as(shown.err).isZero();
        assertThat(shown.err).isEmpty();
        List<String> lines = shown.out.lines().map(String::strip).map(l -> l.replaceAll(" {2,}", " | ")).toList();
        assertThat(lines).containsExactly(
                "Consent directives for 943 476 5919: 2",
                "ID | STATE | DECISION | SCOPE | FROM | TO | SOURCE | RECORDED BY",
                "1 | open | dissent | all | " + from + " | - | practice N81013 | Dr A Example",
                "2 | open | consent | category research | " + from + " | " + until + " | patient | web form",
                "What each configured service would decide now, on consent alone: 2",
                "SERVICE | MODEL | OUTCOME | REASON | WHY",
                "study | opt-in | SEND | CONSENT_CATEGORY | consent to sharing with research services recorded "
                        + from + " by the patient, in effect until " + until,
                "ward | opt-out | WITHHELD | DISSENT_ALL | dissent from all sharing recorded " + from
                        + " by practice N81013");
        assertThat(shown.out.split("943 476 5919", -1)).as("the NHS number only in the heading").hasSize(2);
        assertThat(shown.out).doesNotContain("9434765919");

        Result ended = run("end", "--config", config.toString(), "1", "--by", "IG admin", "--reason",
                "withdrawn by the patient");
        assertThat(ended.exitCode).as(ended.err).isZero();
        assertThat(ended.out.lines()).containsExactly("ended directive 1");
        Result again = run("end", "--config", config.toString(), "1", "--by", "IG admin");
        assertThat(again.exitCode).isEqualTo(1);
        assertThat(again.err.lines()).containsExactly("consent end: directive 1 is not open: there is no such "
                + "directive, or it was already ended");
        assertThat(run("end", "--config", config.toString(), "99", "--by", "IG admin").exitCode).isEqualTo(1);

        Result after = run("show", "--config", config.toString(), "9434765919");
        assertThat(after.exitCode).isZero();
        assertThat(after.out).contains("Consent directives for 9434765919: 2")
                .contains("directive 1 ended " + LocalDate.now(ConsentDecider.ZONE) + " by IG admin: withdrawn by "
                        + "the patient");
        assertThat(after.out.lines().map(l -> l.strip().replaceAll(" {2,}", " | ")))
                .contains("1 | ended | dissent | all | " + from + " | - | practice N81013 | Dr A Example")
                .anyMatch(l -> l.startsWith("ward | opt-out | SEND | NO_DIRECTIVE_OPT_OUT | no dissent recorded"));
    }

    @Test
    void everyUseIsAPersonActionInTheAuditTrailAboutThePatient() throws Exception {
        services();
        Result shown = run("show", "--config", config.toString(), "943 476 5919");
        Result imported = run("import", "--config", config.toString(), csv(
                "nhs_number,scope,scope_value,decision,effective_from,effective_to,source_type,source_id,recorded_by,reason",
                "9434765870,all,,dissent,2026-01-01,,patient,,web form,").toString(), "--run-by", "IG team");

        assertThat(shown.exitCode).as(shown.err).isZero();
        assertThat(imported.exitCode).as(imported.err).isZero();
        try (Connection c = h2(); Statement s = c.createStatement()) {
            assertThat(column(s, "SELECT actor_type || ' ' || actor_id || ' ' || detail || ' ' || COALESCE(nhs_number, '-')"
                    + " FROM audit_event WHERE type = 'PERSON_ACTION' ORDER BY seq")).containsExactly(
                    "person " + System.getProperty("user.name") + " consent show 9434765919",
                    "person IG team consent import consent.csv -");
        }
    }

    @Test
    void showsAPatientWithoutDirectivesAndStatesThatArePendingOrExpired() throws Exception {
        services();
        LocalDate today = LocalDate.now(ConsentDecider.ZONE);
        assertThat(run("record", "--config", config.toString(), "--nhs-number", "9434765919", "--scope", "service",
                "--scope-value", "ward", "--decision", "dissent", "--from", today.plusDays(5).toString(),
                "--source", "clinician", "--source-id", "C123", "--recorded-by", "ward clerk").exitCode).isZero();
        assertThat(run("record", "--config", config.toString(), "--nhs-number", "9434765919", "--scope", "all",
                "--decision", "dissent", "--from", today.minusDays(30).toString(), "--to",
                today.minusDays(1).toString(), "--source", "patient", "--recorded-by", "letter").exitCode).isZero();

        Result shown = run("show", "--config", config.toString(), "9434765919");
        Result nobody = run("show", "--config", config.toString(), "9434765870");

        assertThat(shown.out.lines().map(l -> l.strip().replaceAll(" {2,}", " | ")))
                .anyMatch(l -> l.startsWith("1 | pending | dissent | service ward | "))
                .anyMatch(l -> l.startsWith("2 | expired | dissent | all | "))
                .anyMatch(l -> l.startsWith("ward | opt-out | SEND | NO_DIRECTIVE_OPT_OUT"));
        assertThat(nobody.exitCode).isZero();
        assertThat(nobody.out.lines().map(l -> l.strip().replaceAll(" {2,}", " | "))).containsExactly(
                "Consent directives for 9434765870: 0",
                "What each configured service would decide now, on consent alone: 2",
                "SERVICE | MODEL | OUTCOME | REASON | WHY",
                "study | opt-in | WITHHELD | NO_CONSENT_OPT_IN | no recorded consent applies, and service study "
                        + "shares only with consent (opt-in)",
                "ward | opt-out | SEND | NO_DIRECTIVE_OPT_OUT | no dissent recorded, and service ward shares unless "
                        + "the patient dissents (opt-out)");
    }

    @Test
    void badInputIsRefusedByOptionNameWithoutItsValueAndRecordsNothing() throws Exception {
        services();
        Result badNhs = run("record", "--config", config.toString(), "--nhs-number", "9434765918", "--scope", "all",
                "--decision", "dissent", "--from", "2026-03-01", "--source", "patient", "--recorded-by", "me");
        Result many = run("record", "--config", config.toString(), "--nhs-number", "9434765919", "--scope", "every",
                "--scope-value", "ward", "--decision", "maybe", "--from", "2026-03-01", "--to", "2026-02-01",
                "--source", "practice", "--recorded-by", "me");
        Result window = run("record", "--config", config.toString(), "--nhs-number", "9434765919", "--scope", "all",
                "--decision", "dissent", "--from", "2026-03-01", "--to", "2026-02-31", "--source", "practice",
                "--recorded-by", "me");
        Result missing = run("record", "--config", config.toString(), "--nhs-number", "9434765919");
        Result noBy = run("end", "--config", config.toString(), "1", "--by", " ");
        Result notANumber = run("end", "--config", config.toString(), "first", "--by", "me");
        Result showBad = run("show", "--config", config.toString(), "12345678");

        assertThat(badNhs.exitCode).isEqualTo(2);
        assertThat(badNhs.err.lines()).containsExactly(
                "consent record: nothing recorded: --nhs-number fails the Modulus 11 check");
        assertThat(many.exitCode).isEqualTo(2);
        assertThat(many.err.lines()).containsExactly("consent record: nothing recorded: --scope must be all, service "
                + "or category; --decision must be dissent or consent; --to is before --from; --source-id is required "
                + "when --source is practice (the practice's ODS code)");
        assertThat(window.err.lines()).containsExactly("consent record: nothing recorded: --to is not a date in the "
                + "form yyyy-MM-dd; --source-id is required when --source is practice (the practice's ODS code)");
        assertThat(missing.exitCode).isEqualTo(2);
        assertThat(missing.err).contains("Missing required options").contains("--scope").contains("--recorded-by");
        assertThat(noBy.exitCode).isEqualTo(2);
        assertThat(noBy.err.lines()).containsExactly("consent end: nothing ended: --by is empty");
        assertThat(notANumber.exitCode).isEqualTo(2);
        assertThat(showBad.exitCode).isEqualTo(2);
        assertThat(showBad.err.lines()).containsExactly("consent show: nothing shown: NHS-NUMBER is not 10 digits");
        assertNoNhsNumber(badNhs.err + many.err + window.err + showBad.err + showBad.out);
        assertThat(badNhs.out + many.out + window.out).isEmpty();
        try (Connection c = h2(); Statement s = c.createStatement()) {
            assertThat(column(s, "SELECT id FROM consent_directive")).isEmpty();
        }
    }

    @Test
    void aDirectiveForAnUnconfiguredServiceIsRecordedWithANote() throws Exception {
        services();
        Result typo = run("record", "--config", config.toString(), "--nhs-number", "9434765919", "--scope",
                "service", "--scope-value", "wrad", "--decision", "dissent", "--from", "2026-03-01", "--source",
                "patient", "--recorded-by", "me");
        Result category = run("record", "--config", config.toString(), "--nhs-number", "9434765919", "--scope",
                "category", "--scope-value", "Direct-Care", "--decision", "dissent", "--from", "2026-03-01",
                "--source", "patient", "--recorded-by", "me");

        assertThat(typo.exitCode).isZero();
        assertThat(typo.out).startsWith("recorded directive 1: dissent from sharing with service wrad");
        assertThat(typo.err.lines()).containsExactly("consent record: note: no configured service has the id wrad; "
                + "the directive applies once one does");
        assertThat(category.exitCode).isZero();
        assertThat(category.err).as("a configured category, in any case").isEmpty();
    }

    @Test
    void showWithABrokenServiceFileShowsTheServicesThatLoadedAndExitsOne() throws Exception {
        services();
        Files.writeString(config.resolve("services").resolve("broken.yaml"), "id: broken\nsubscribe: [\n");
        assertThat(run("record", "--config", config.toString(), "--nhs-number", "9434765919", "--scope", "all",
                "--decision", "dissent", "--from", "2026-03-01", "--source", "patient", "--recorded-by", "me")
                .exitCode).as("recording does not need the services").isZero();

        Result shown = run("show", "--config", config.toString(), "9434765919");

        assertThat(shown.exitCode).isEqualTo(1);
        assertThat(shown.out).contains("Consent directives for 9434765919: 1")
                .contains("What each configured service would decide now, on consent alone: 2")
                .doesNotContain("broken");
        assertThat(shown.err).contains("broken.yaml").contains("problem(s) in the configuration: decisions are "
                + "shown only for the 2 service(s) that loaded");
    }

    @Test
    void theSubcommandsAreListedInTheHelp() {
        StringWriter out = new StringWriter();
        picocli.CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));

        assertThat(cl.execute("consent", "--help")).isZero();
        assertThat(out.toString()).contains("import").contains("record").contains("end").contains("show");
    }

    /** An opt-out service in direct-care and an opt-in one in research, with profiles. */
    private void services() throws Exception {
        Path services = Files.createDirectories(config.resolve("services"));
        Path profiles = Files.createDirectories(config.resolve("profiles"));
        for (String[] s : List.of(new String[] {"ward", "opt-out", "direct-care"},
                new String[] {"study", "opt-in", "research"})) {
            Files.writeString(services.resolve(s[0] + ".yaml"), "id: " + s[0] + "\ndescription: test service\n"
                    + "subscribe:\n  messageTypes: [\"ADT^A01\"]\ngovernance:\n  consent: " + s[1] + "\n"
                    + "  categories: [" + s[2] + "]\n  unverifiedNhsNumber: send\n  protectedRecords: receive\n"
                    + "endpoint:\n  folder:\n    path: out/" + s[0] + "\n");
            Files.writeString(profiles.resolve(s[0] + ".yaml"), TestEngine.KEEP_ALL_PROFILE);
        }
    }

    private Path csv(String... lines) throws Exception {
        Path file = tmp.resolve("consent.csv");
        Files.writeString(file, String.join("\r\n", lines) + (lines.length == 0 ? "" : "\r\n"),
                StandardCharsets.UTF_8);
        return file;
    }

    private Connection h2() throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + tmp.resolve("data").resolve("db").resolve("ilinks"),
                "sa", "");
    }

    private static List<String> column(Statement s, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void assertNoNhsNumber(String text) {
        for (String nhs : NHS_NUMBERS) {
            assertThat(text).doesNotContain(nhs);
        }
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(new ConsentCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exitCode = cl.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {
    }
}
