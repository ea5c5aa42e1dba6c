package org.ilinks.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.ilinks.mllp.MllpReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ilinks send} against a real {@link MllpReceiver} on loopback. */
class SendCommandTest {

    private MllpReceiver receiver;
    private String target;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new MllpReceiver("127.0.0.1", 0);
        receiver.start();
        target = "127.0.0.1:" + receiver.port();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop();
    }

    @Test
    void allAcceptedGivesOneLinePerMessageASummaryAndExitZero() throws Exception {
        String lf = fixture("h1-two-messages-lf.hl7");
        String batch = fixture("h1-batch-good.hl7");

        Result result = run(target, lf, batch);

        assertThat(result.exitCode).isZero();
        assertThat(result.outLines()).containsExactly(
                lf + " #1 ADT^A01^ADT_A01 H1LF0001: AA",
                lf + " #2 ADT^A08^ADT_A01 H1LF0002: AA",
                batch + " #1 ADT^A01^ADT_A01 H1BAT001: AA",
                batch + " #2 ADT^A08^ADT_A01 H1BAT002: AA",
                batch + " #3 ADT^A01^ADT_A01 H1BAT003: AA",
                "sent 5, AA 5, AE 0, AR 0, no answer 0");
        assertThat(receiver.count()).isEqualTo(5);
        assertThat(receiver.connectionCount()).isEqualTo(1);
        assertThat(result.out + result.err).doesNotContain("9434765919").doesNotContain("TESTPATIENT");
    }

    @Test
    void anArAnswerGivesExitOne() throws Exception {
        receiver.respondWith(payload -> new String(payload, ISO_8859_1).contains("|H1LF0002|") ? "AR" : "AA");
        String lf = fixture("h1-two-messages-lf.hl7");

        Result result = run(target, lf);

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.outLines()).containsExactly(
                lf + " #1 ADT^A01^ADT_A01 H1LF0001: AA",
                lf + " #2 ADT^A08^ADT_A01 H1LF0002: AR Answered AR by the test receiver",
                "sent 2, AA 1, AE 0, AR 1, no answer 0");
    }

    @Test
    void aeAnswersAreCounted() throws Exception {
        receiver.respondWith(payload -> "AE");

        Result result = run(target, fixture("h1-two-messages-lf.hl7"));

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.outLines()).last().isEqualTo("sent 2, AA 0, AE 2, AR 0, no answer 0");
    }

    @Test
    void aMissingFileIsAUsageErrorAndNothingIsSent() throws Exception {
        Result result = run(target, fixture("h1-two-messages-lf.hl7"), "no-such-file-h1.hl7");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err).contains("cannot read no-such-file-h1.hl7: no such file");
        assertThat(receiver.count()).isZero();
    }

    @Test
    void aBadHostPortIsAUsageError() throws Exception {
        String file = fixture("h1-two-messages-lf.hl7");

        assertThat(run("localhost", file).exitCode).isEqualTo(2);
        assertThat(run("localhost:notaport", file).err).contains("expected HOST:PORT");
        assertThat(run("localhost:70000", file).exitCode).isEqualTo(2);
        assertThat(run(":2575", file).exitCode).isEqualTo(2);
        assertThat(receiver.count()).isZero();
    }

    @Test
    void missingArgumentsAreAUsageError() {
        assertThat(run(target).exitCode).isEqualTo(2);
    }

    @Test
    void noAckIsReportedAndTheNextMessageGoesOverANewConnection() throws Exception {
        receiver.respondWith(payload -> new String(payload, ISO_8859_1).contains("|H1BAT002|") ? null : "AA");
        String batch = fixture("h1-batch-good.hl7");

        Result result = run("--timeout-ms", "300", target, batch);

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.outLines()).containsExactly(
                batch + " #1 ADT^A01^ADT_A01 H1BAT001: AA",
                batch + " #2 ADT^A08^ADT_A01 H1BAT002: no answer (no ACK from " + target + " within 300 ms)",
                batch + " #3 ADT^A01^ADT_A01 H1BAT003: AA",
                "sent 3, AA 2, AE 0, AR 0, no answer 1");
        assertThat(receiver.connectionCount()).isEqualTo(2);
    }

    @Test
    void aLostConnectionIsReconnectedAndSendingGoesOn() throws Exception {
        receiver.respondWith(payload -> new String(payload, ISO_8859_1).contains("|H1LF0001|")
                ? MllpReceiver.CLOSE_CONNECTION : "AA");
        String lf = fixture("h1-two-messages-lf.hl7");

        Result result = run(target, lf);

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.outLines()).containsExactly(
                lf + " #1 ADT^A01^ADT_A01 H1LF0001: no answer (connection closed by " + target
                        + " before an ACK arrived)",
                lf + " #2 ADT^A08^ADT_A01 H1LF0002: AA",
                "sent 2, AA 1, AE 0, AR 0, no answer 1");
        assertThat(receiver.count()).isEqualTo(2);
    }

    @Test
    void anUnreachableReceiverGivesNoAnswerForEveryMessage() throws Exception {
        receiver.stop();
        String lf = fixture("h1-two-messages-lf.hl7");

        Result result = run("--connect-timeout-ms", "2000", target, lf);

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.outLines()).containsExactly(
                lf + " #1 ADT^A01^ADT_A01 H1LF0001: no answer (not sent: connection refused by " + target + ")",
                lf + " #2 ADT^A08^ADT_A01 H1LF0002: no answer (not sent: connection refused by " + target + ")",
                "sent 2, AA 0, AE 0, AR 0, no answer 2");
    }

    @Test
    void readerWarningsAndBatchTrailerMismatchesArePrinted(@TempDir Path dir) throws Exception {
        String batch = fixture("h1-batch-wrong-counts.hl7");
        Path withGarbage = dir.resolve("garbage-first.hl7");
        Files.write(withGarbage, ("Patient 9434765919 TESTPATIENT\n"
                + "MSH|^~\\&|SENDAPP|SENDFAC|RECVAPP|RECVFAC|20250101120000||ORU^R01|H1GARB01|P|2.5\n")
                .getBytes(ISO_8859_1));

        Result result = run(target, batch, withGarbage.toString());

        assertThat(result.exitCode).isZero();
        assertThat(result.outLines()).containsExactly(
                batch + ": warning: BTS at line 11 declares 3 message(s) but 2 were found",
                batch + ": warning: FTS at line 12 declares 4 batch(es) but 1 were found",
                batch + " #1 ADT^A01^ADT_A01 H1BAD001: AA",
                batch + " #2 ADT^A08^ADT_A01 H1BAD002: AA",
                withGarbage + ": warning: 31 bytes before the first MSH were skipped",
                withGarbage + " #1 ORU^R01 H1GARB01: AA",
                "sent 3, AA 3, AE 0, AR 0, no answer 0");
        assertThat(result.out).doesNotContain("9434765919");
    }

    @Test
    void aFileWithoutMessagesGivesExitOne(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.hl7");
        Files.write(empty, new byte[0]);

        Result result = run(target, empty.toString());

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.err).contains("no HL7 messages found");
    }

    @Test
    void isWiredIntoTheIlinksCommand() throws Exception {
        CommandLine cl = IlinksCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));

        int exit = cl.execute("send", target, fixture("h1-latin1.hl7"));

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("H1LAT001: AA").contains("sent 1, AA 1");
        assertThat(receiver.received()).singleElement()
                .isEqualTo(Files.readAllBytes(Paths.get(fixture("h1-latin1.hl7"))));
    }

    @Test
    void sendsTheWholePublicCorpusAsAnOutsiderWould() throws Exception {
        String configured = System.getProperty("ilinks.corpus.dir");
        Path corpus = configured != null
                ? Paths.get(configured)
                : Paths.get(System.getProperty("ilinks.project.dir", ".")).resolve("../shared/hl7-corpus").normalize();
        assumeTrue(Files.isDirectory(corpus.resolve("messages")),
                "HL7 corpus not found at " + corpus + " (set -Dilinks.corpus.dir); skipping");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(target));
        int expected = 0;
        for (String dir : new String[] {"messages", "batch"}) {
            try (java.util.stream.Stream<Path> files = Files.list(corpus.resolve(dir))) {
                for (Path file : files.sorted().toList()) {
                    args.add(file.toString());
                    expected += org.ilinks.hl7.Hl7FileReader.read(file).messages().size();
                }
            }
        }

        Result result = run(args.toArray(String[]::new));

        System.out.println("send over the corpus: " + result.outLines().get(result.outLines().size() - 1));
        assertThat(result.outLines()).last().isEqualTo(
                "sent " + expected + ", AA " + expected + ", AE 0, AR 0, no answer 0");
        assertThat(result.exitCode).isZero();
        assertThat(receiver.count()).isEqualTo(expected);
        assertThat(receiver.connectionCount()).isEqualTo(1);
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SendCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exitCode = cl.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static String fixture(String name) throws URISyntaxException {
        return Paths.get(SendCommandTest.class.getResource("/hl7/" + name).toURI()).toString();
    }

    private record Result(int exitCode, String out, String err) {
        java.util.List<String> outLines() {
            return out.lines().toList();
        }
    }
}
