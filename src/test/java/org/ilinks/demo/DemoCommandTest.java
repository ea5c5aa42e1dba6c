package org.ilinks.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ilinks.cli.IlinksCommand;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ilinks demo --once} as a user runs it: the shipped config/, routes/ and samples/ (copied, with free ports
 * and a temp data dir), through picocli, reading only what the command prints and leaves on disk.
 */
class DemoCommandTest {

    /** One line of the demo's closing table: service, kind, sent, delivered, withheld, held, parked, where. */
    private static final Pattern TABLE_ROW = Pattern.compile(
            "(?m)^(\\S+)\\s+(mllp|folder|queue)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(.+)$");

    @TempDir
    Path tmp;

    private Path config;
    private Path routes;
    private Path samples;
    private Path data;

    @BeforeEach
    void copyTheShippedProject() throws IOException {
        Path project = TestEngine.projectDir();
        config = tmp.resolve("config");
        routes = tmp.resolve("routes");
        samples = tmp.resolve("samples");
        data = tmp.resolve("data");
        copyFolder(project.resolve("config"), config);
        copyFolder(project.resolve("config/services"), config.resolve("services"));
        copyFolder(project.resolve("config/profiles"), config.resolve("profiles"));
        copyFolder(project.resolve("config/practices"), config.resolve("practices"));
        copyFolder(project.resolve("routes"), routes);
        copyFolder(project.resolve("samples"), samples);
        copyFolder(project.resolve("samples/practices/N82001"), samples.resolve("practices/N82001"));
        copyFolder(project.resolve("samples/practices/N81013"), samples.resolve("practices/N81013"));

        String props = Files.readString(config.resolve("application.properties"))
                .replaceAll("(?m)^ilinks\\.intake\\.mllp\\.host=.*$", "ilinks.intake.mllp.host=127.0.0.1")
                .replaceAll("(?m)^ilinks\\.intake\\.mllp\\.port=.*$", "ilinks.intake.mllp.port=" + TestEngine.freePort())
                .replaceAll("(?m)^ilinks\\.reload\\.enabled=.*$", "ilinks.reload.enabled=false")
                .replaceAll("(?m)^ilinks\\.admin\\.port=.*$", "ilinks.admin.port=" + TestEngine.freePort())
                .replaceAll("(?m)^ilinks\\.data\\.dir=.*$", "ilinks.data.dir=" + data.toString().replace("\\", "/"));
        Files.writeString(config.resolve("application.properties"), props);

        Path aintree = config.resolve("services/aintree-ae.yaml");
        String yaml = Files.readString(aintree);
        assertThat(yaml).as("the shipped aintree-ae service delivers to this machine on port 6661").contains("port: 6661");
        Files.writeString(aintree, yaml.replace("port: 6661", "port: " + TestEngine.freePort()));
    }

    @Test
    void everySampleEndsWhereTheShippedConfigurationSaysAndTheExitStatusIsZero() throws IOException {
        Result result = demo("--timeout-seconds", "60");

        assertThat(result.exitCode).as("exit status; output:%n%s%s", result.out, result.err).isZero();
        Map<String, int[]> table = table(result.out);
        // {sent, delivered, withheld, held, parked} per service, from samples/README.md and consent-demo.csv:
        // governance decides, the engine records and delivers accordingly.
        assertThat(table).containsOnlyKeys("aintree-ae", "aintree-amu", "community-nursing", "diabetes-partnership",
                "gp-registrations-analytics", "planning-open-data", "sefton-adult-social-care");
        assertThat(table.get("gp-registrations-analytics")).as("takes extracts only: no message").containsExactly(
                0, 0, 0, 0, 0);
        assertThat(table.get("aintree-ae")).containsExactly(9, 9, 2, 0, 0);
        assertThat(table.get("aintree-amu")).containsExactly(10, 10, 1, 0, 0);
        assertThat(table.get("community-nursing")).containsExactly(2, 2, 0, 0, 0);
        // 6 over MLLP, and the 3 registrations of Park Surgery's batch file taken from the demo SFTP server
        assertThat(table.get("diabetes-partnership")).containsExactly(9, 9, 1, 0, 0);
        assertThat(table.get("planning-open-data")).containsExactly(1, 1, 7, 1, 0);
        assertThat(table.get("sefton-adult-social-care")).containsExactly(3, 3, 2, 1, 0);
        assertThat(result.out).contains("Every sample ended where the configuration says it should");
        // The opted-out patient reaches no service; the HIV result only the unit authorised for it.
        assertThat(result.out).contains("sent 12-adt-a01-opted-out-patient.hl7 #1: AA Message accepted\n"
                + "    sent to: no service\n");
        assertThat(result.out).contains("sent 09-oru-r01-hiv-viral-load.hl7 #1: AA Message accepted\n"
                + "    sent to: aintree-amu\n");
        assertThat(result.out).contains("withheld from aintree-ae: dissent from all sharing recorded 2026-10-01 by "
                + "practice N81013");

        Path out = data.resolve("demo/out");
        assertThat(hl7Files(out.resolve("diabetes-partnership"))).isEqualTo(9);
        assertThat(hl7Files(out.resolve("sefton-adult-social-care"))).isEqualTo(3);
        // The planning feed is pseudonymised: no sample NHS number in what it received.
        try (Stream<Path> files = Files.list(out.resolve("planning-open-data"))) {
            for (Path f : files.toList()) {
                assertThat(Files.readString(f)).doesNotContain("9434765870").contains("^^^^NH");
            }
        }
        // The samples' made-up NHS numbers stay out of what the demo prints.
        assertThat(result.out + result.err).doesNotContain("9434765919", "9434765870", "9876543210", "4010232137",
                "9990000018", "9990000026", "9990000034", "9990000042", "9990000050");
    }

    @Test
    void theShippedPracticeFileIsPulledFromTheDemoSftpServerWithStrictHostKeysAndMovedToItsDoneFolder()
            throws IOException {
        Result result = demo("--timeout-seconds", "60");

        assertThat(result.exitCode).as("exit status; output:%n%s%s", result.out, result.err).isZero();
        String file = "N82001-registrations-20261127.hl7";
        assertThat(result.out).contains("put " + file + " on the SFTP server for practice N82001 (outbox/): "
                + "3 message(s)");
        Matcher row = Pattern.compile("(?m)^N82001\\s+" + Pattern.quote(file)
                + "\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)$").matcher(result.out);
        assertThat(row.find()).as("the practice files table; output:%n%s", result.out).isTrue();
        assertThat(List.of(row.group(1), row.group(2), row.group(3), row.group(4), row.group(5)))
                .containsExactly("DONE", "3", "3", "0", "done/");
        Path home = data.resolve("demo/sftp/root/n82001");
        assertThat(home.resolve("done").resolve(file)).hasSameBinaryContentAs(samples.resolve("practices/N82001")
                .resolve(file));
        assertThat(home.resolve("outbox")).isEmptyDirectory();

        // The demo ran the engine on its own copy of the shipped practice file: the shipped folders and format,
        // the demo server's address, and a known_hosts holding that server's key (strict checking stays on).
        String practice = Files.readString(data.resolve("demo/practices/N82001.yaml"));
        String shipped = Files.readString(config.resolve("practices/N82001.yaml"));
        assertThat(shipped).contains("host: sftp.parksurgery.example.nhs.uk").contains("folder: outbox");
        assertThat(practice).contains("host: 127.0.0.1").contains("folder: outbox").contains("move: done")
                .contains("type: hl7").doesNotContain("parksurgery");
        Matcher port = Pattern.compile("(?m)^  port: (\\d+)$").matcher(practice);
        assertThat(port.find()).isTrue();
        assertThat(Files.readString(data.resolve("demo/sftp/known_hosts")))
                .startsWith("[127.0.0.1]:" + port.group(1) + " ssh-rsa ");
        // Batch and extract patients' NHS numbers stay out of what the demo prints.
        assertThat(result.out + result.err).doesNotContain("9990000069", "9990000077", "9990000085", "9990001006",
                "9990001014", "9990001022", "9990001030", "Ashworth", "O'Neill");
    }

    @Test
    void theShippedPracticeExtractReachesEachServiceWithOnlyItsRowsAndColumns() throws IOException {
        Result result = demo("--timeout-seconds", "60");

        assertThat(result.exitCode).as("exit status; output:%n%s%s", result.out, result.err).isZero();
        String file = "practice-extract-N81013.csv";
        Matcher row = Pattern.compile("(?m)^N81013\\s+" + Pattern.quote(file)
                + "\\s+(\\S+)\\s+(\\d+)\\s+\\d+\\s+(\\d+)\\s+(\\S+)$").matcher(result.out);
        assertThat(row.find()).as("the practice files table; output:%n%s", result.out).isTrue();
        // taken in full, and deleted from the practice's outbox as the shipped N81013.yaml says
        assertThat(List.of(row.group(1), row.group(3), row.group(4))).containsExactly("DONE", "0", "deleted");
        assertThat(data.resolve("demo/sftp/root/n81013/outbox")).isEmptyDirectory();

        // The rows each service should get (from the sample and consent-demo.csv: 9990000042 dissented from all
        // sharing), then what it got: only its profile's columns, in its profile's order.
        List<String> analytics = delivered("gp-registrations-analytics");
        assertThat(analytics.get(0)).isEqualTo("record_type,date_of_birth,postcode,event_date,code");
        assertThat(analytics.subList(1, analytics.size())).hasSize(extractRows(result.out,
                "gp-registrations-analytics")).allSatisfy(r -> assertThat(r).matches("(REG|IMMS),[^,]*,L\\d+,.*"));
        assertThat(String.join("\n", analytics)).doesNotContain("9990", "Ashworth", "L9 7AL");
        List<String> diabetes = delivered("diabetes-partnership");
        assertThat(diabetes.get(0)).isEqualTo("nhs_number,surname,date_of_birth,postcode,event_date");
        assertThat(diabetes.subList(1, diabetes.size())).hasSize(extractRows(result.out, "diabetes-partnership"))
                .noneMatch(r -> r.startsWith("9990000042"));
        assertThat(result.out).containsPattern("(?m)^gp-registrations-analytics\\s+" + Pattern.quote(file)
                + "\\s+\\d+\\s+\\d+\\s+record_type,date_of_birth,postcode,event_date,code$");
    }

    /** The rows the demo says a service should get of the extract (its "gets N row(s)" line). */
    private static int extractRows(String out, String service) {
        Matcher m = Pattern.compile("(?m)^    " + service + " gets (\\d+) row\\(s\\)$").matcher(out);
        assertThat(m.find()).as("what %s should get; output:%n%s", service, out).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** The one file a service received from the extract, as lines. */
    private List<String> delivered(String service) throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("demo/out").resolve(service))) {
            List<Path> csv = files.filter(p -> p.getFileName().toString().startsWith("N81013-practice-extract-N81013-"
                    + service + "-") && p.getFileName().toString().endsWith(".csv")).toList();
            assertThat(csv).as("files of the extract for %s", service).hasSize(1);
            return Files.readAllLines(csv.get(0));
        }
    }

    @Test
    void aServiceThatCannotBeReachedMakesTheDemoExitOne() throws IOException {
        // 127.0.0.2 is not an address the demo starts a stand-in receiver on (only 127.0.0.1, localhost and ::1),
        // and nothing listens on this port there: every delivery attempt fails and the message stays queued.
        Files.writeString(config.resolve("services/unreachable.yaml"), """
                id: unreachable
                description: a service whose receiver is never started
                subscribe:
                  messageTypes: [ADT^A01]
                governance:
                  consent: opt-out
                  unverifiedNhsNumber: send
                  protectedRecords: receive
                endpoint:
                  mllp:
                    host: 127.0.0.2
                    port: %d
                    connectTimeoutMs: 500
                    ackTimeoutMs: 1000
                """.formatted(TestEngine.freePort()));
        Files.writeString(config.resolve("profiles/unreachable.yaml"), "segments: {PID: all, PV1: all}\n");

        Result result = demo("--timeout-seconds", "3");

        assertThat(result.exitCode).as("exit status; output:%n%s%s", result.out, result.err).isEqualTo(1);
        // five admissions among the samples: one from the opted-out patient is withheld, four stay queued
        assertThat(table(result.out).get("unreachable")).containsExactly(4, 0, 1, 0, 0);
        assertThat(result.out).contains("Some samples did not end where the configuration says they should.");
    }

    private Result demo(String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] args = Stream.concat(Stream.of("demo", "--once", "--config", config.toString(), "--routes",
                routes.toString(), "--samples", samples.toString()), Stream.of(extra)).toArray(String[]::new);
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** service id → {sent, delivered, withheld, held, parked}, from the demo's closing table. */
    private static Map<String, int[]> table(String out) {
        Map<String, int[]> rows = new LinkedHashMap<>();
        Matcher m = TABLE_ROW.matcher(out);
        while (m.find()) {
            rows.put(m.group(1), new int[] {Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), Integer.parseInt(m.group(7))});
        }
        return rows;
    }

    private static long hl7Files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".hl7")).count();
        }
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private record Result(int exitCode, String out, String err) {
    }
}
