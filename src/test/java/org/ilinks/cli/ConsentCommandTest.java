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
import java.util.ArrayList;
import java.util.List;
import org.ilinks.support.LogCapture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ilinks consent import FILE.csv} against a real H2 database in a temp data dir: good rows kept, bad rows
 * reported by line without their values, the summary, the exit status, and the consent_import record.
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
