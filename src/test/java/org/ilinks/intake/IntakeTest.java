package org.ilinks.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.LogCapture;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MLLP intake against real feeds' habits and mistakes, over real sockets: each kind of bad input gets AR with an ERR
 * segment saying why and nothing is routed; what real feeds send (LF, CRLF, BOM, no final CR) is accepted; a
 * re-sent message is ACKed but routed once; many connections at once are served; no patient data reaches a log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntakeTest {

    @TempDir
    static Path tmp;

    private MllpReceiver service;
    private TestEngine engine;

    @BeforeAll
    void start() throws Exception {
        service = new MllpReceiver("127.0.0.1", 0);
        service.start();
        engine = new TestEngine(tmp).mllpService("ward", service.port(), "*").start();
    }

    @AfterAll
    void stop() {
        engine.close();
        service.stop();
    }

    @BeforeEach
    void clear() throws Exception {
        // let anything still in flight from the previous test arrive before forgetting it
        Thread.sleep(300);
        service.clearReceived();
    }

    private static String msh(String type, String controlId, String version) {
        return "MSH|^~\\&|PAS|REM|ILINKS|NMERSEY|20261126091500||" + type + "|" + controlId + "|P|" + version;
    }

    private static final String PID = "PID|1||9434765919^^^NHS^NH||SMITH^JANE||19560312|F";

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("not HL7 at all", "Dear colleague, please find attached the discharge letter for SMITH",
                        "100"),
                Arguments.of("no MSH", PID + "\rPV1|1|I\r", "100"),
                Arguments.of("bad encoding characters",
                        "MSH|^~|PAS|REM|ILINKS|NMERSEY|20261126||ADT^A01|BAD-ENC|P|2.4\r" + PID + "\r", "102"),
                Arguments.of("missing MSH-9", msh("", "NO-TYPE", "2.4") + "\r" + PID + "\r", "101"),
                Arguments.of("missing MSH-10", msh("ADT^A01", "", "2.4") + "\r" + PID + "\r", "101"),
                Arguments.of("unsupported version", msh("ADT^A01", "V3", "3.0") + "\r" + PID + "\r", "203"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void badInputGetsArWithAnErrSegmentAndIsNotRouted(String name, String payload, String errorCode) throws Exception {
        byte[] ack;
        try (LogCapture logs = new LogCapture();
             MllpClient client = new MllpClient("127.0.0.1", engine.port(), 2000, 10000)) {
            ack = client.send(payload.getBytes(StandardCharsets.UTF_8));
            // the engine keeps serving: the same connection takes a good message next
            byte[] good = (msh("ADT^A01", "AFTER-" + errorCode + name.length(), "2.4") + "\r" + PID + "\r")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(AckSummary.parse(client.send(good)).code()).isEqualTo("AA");
            assertThat(logs.text()).doesNotContain("9434765919", "SMITH", "JANE", "Dear colleague");
        }
        AckSummary summary = AckSummary.parse(ack);
        String ackText = new String(ack, StandardCharsets.UTF_8);
        assertThat(summary.code()).isEqualTo("AR");
        assertThat(summary.text()).isNotBlank();
        assertThat(ackText).contains("\rERR|").contains(errorCode);
        assertThat(ackText).doesNotContain("9434765919", "SMITH");
        await().atMost(Duration.ofSeconds(10)).until(() -> service.count() == 1); // only the good one
        Thread.sleep(300);
        assertThat(service.count()).isEqualTo(1);
    }

    static Stream<Arguments> tolerated() {
        String body = msh("ADT^A01", "TOL", "2.4") + "\r" + PID + "\rPV1|1|I";
        return Stream.of(
                Arguments.of("LF segment ends", body.replace('\r', '\n') + "\n"),
                Arguments.of("CRLF segment ends", body.replace("\r", "\r\n") + "\r\n"),
                Arguments.of("UTF-8 byte-order mark", "\uFEFF" + body + "\r"),
                Arguments.of("no final CR", body),
                Arguments.of("blank line before MSH", "\r\n" + body + "\r"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tolerated")
    void whatRealFeedsSendIsAcceptedAndDeliveredWithStandardSegmentEnds(String name, String payload) throws Exception {
        String text = payload.replace("TOL", "TOL-" + name.hashCode());
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (MllpClient client = new MllpClient("127.0.0.1", engine.port(), 2000, 10000)) {
            assertThat(AckSummary.parse(client.send(bytes)).code()).isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> service.count() == 1);
        // The service's profile keeps every segment, so it gets the same segments, each ended by CR, no BOM.
        String expected = String.join("\r", text.replace("\uFEFF", "").strip().split("\r\n|\r|\n")) + "\r";
        assertThat(new String(service.received().get(0), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void charsetFromMsh18IsHonouredAndBytesAreKept() throws Exception {
        String text = "MSH|^~\\&|PAS|REM|ILINKS|NMERSEY|20261126||ADT^A08|LATIN1-1|P|2.4|||||GBR|8859/1\r"
                + "PID|1||9434765919^^^NHS^NH||MÜLLER^JOSÉ||19560312|M\r";
        byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] ack;
        try (MllpClient client = new MllpClient("127.0.0.1", engine.port(), 2000, 10000)) {
            ack = client.send(latin1);
        }
        assertThat(AckSummary.parse(ack).code()).isEqualTo("AA");
        await().atMost(Duration.ofSeconds(10)).until(() -> service.count() == 1);
        assertThat(service.received().get(0)).isEqualTo(latin1);
    }

    @Test
    void aResentMessageIsAckedButRoutedOnceAndTheRepeatIsRecorded() throws Exception {
        byte[] message = (msh("ADT^A01", "RESENT-1", "2.4") + "\r" + PID + "\r").getBytes(StandardCharsets.UTF_8);
        try (MllpClient client = new MllpClient("127.0.0.1", engine.port(), 2000, 10000)) {
            assertThat(AckSummary.parse(client.send(message)).code()).isEqualTo("AA");
            assertThat(AckSummary.parse(client.send(message)).code()).isEqualTo("AA");
        }
        try (MllpClient other = new MllpClient("127.0.0.1", engine.port(), 2000, 10000)) {
            assertThat(AckSummary.parse(other.send(message)).code()).isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> duplicates() >= 2);
        Thread.sleep(500);
        assertThat(service.count()).isEqualTo(1);
        assertThat(duplicates()).isEqualTo(2);
    }

    @Test
    void manyConnectionsAtOnceAreAllServed() throws Exception {
        int connections = 150;
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<MllpClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                MllpClient c = new MllpClient("127.0.0.1", engine.port(), 5000, 30000);
                c.connect();
                open.add(c); // all connected before any sends: the engine holds them all at once
            }
            List<Future<String>> acks = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                MllpClient c = open.get(i);
                byte[] m = (msh("ADT^A01", "MANY-" + i, "2.4") + "\r" + PID + "\r").getBytes(StandardCharsets.UTF_8);
                acks.add(pool.submit(() -> AckSummary.parse(c.send(m)).code()));
            }
            for (Future<String> f : acks) {
                assertThat(f.get()).isEqualTo("AA");
            }
        } finally {
            open.forEach(MllpClient::close);
            pool.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> service.count() == connections);
    }

    private int duplicates() throws Exception {
        try (var c = engine.engine().dataSource().getConnection();
             var ps = c.prepareStatement("SELECT COUNT(*) FROM duplicate_message");
             var rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
