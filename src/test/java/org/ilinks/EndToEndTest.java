package org.ilinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.Jms;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path over real sockets and a real broker: an MLLP sender, the engine, and three services (an MLLP
 * receiver, a folder, a trust queue). What each service receives is byte-for-byte what the sender sent.
 */
class EndToEndTest {

    @TempDir
    Path tmp;

    private MllpReceiver ae;
    private TestEngine engine;

    @BeforeEach
    void start() throws Exception {
        ae = new MllpReceiver("127.0.0.1", 0);
        ae.start();
        engine = new TestEngine(tmp)
                .mllpService("ae", ae.port(), "ADT^A01", "ADT^A03", "ORU^R01")
                .folderService("diabetes", "ORU^R01", "ADT^A04")
                .queueService("community", "trust.community.adt", "ADT^A03")
                .start();
    }

    @AfterEach
    void stop() {
        engine.close();
        ae.stop();
    }

    private static final String A01 = "MSH|^~\\&|PAS|REM|ILINKS|NMERSEY|20261126091500||ADT^A01^ADT_A01|E2E-1|P|2.4\r"
            + "PID|1||9434765919^^^NHS^NH||SMITH^JANE||19560312|F\r"
            + "PV1|1|E\r";
    private static final String A03 = "MSH|^~\\&|PAS|REM|ILINKS|NMERSEY|20261127160000||ADT^A03^ADT_A03|E2E-2|P|2.4\r"
            + "PID|1||9434765919^^^NHS^NH||SMITH^JANE||19560312|F\r"
            + "PV1|1|I\r";
    private static final String ORU = "MSH|^~\\&|WINPATH|RQ6|ILINKS|NMERSEY|20261126140500||ORU^R01^ORU_R01|E2E-3|P|2.5.1|||||GBR|UNICODE UTF-8\r"
            + "PID|1||9434765870^^^NHS^NH||JÖNES^DAVID||19620704|M\r"
            + "OBR|1|ORD1|LAB1|HBA1C^Haemoglobin A1c^L\r"
            + "OBX|1|NM|HBA1C^Haemoglobin A1c^L||58|mmol/mol|20-41|H|||F\r"
            + "NTE|1||rising \\T\\ review\r";
    private static final String A04 = "MSH|^~\\&|EMIS|N81013|ILINKS|NMERSEY|20261126100000||ADT^A04^ADT_A01|E2E-4|P|2.4\r"
            + "PID|1||9876543210^^^NHS^NH||PATEL^ANITA||19810923|F\r";

    @Test
    void eachServiceReceivesExactlyWhatItSubscribesTo_byteForByte() throws Exception {
        List<byte[]> sent = new ArrayList<>();
        try (MllpClient client = new MllpClient("127.0.0.1", engine.port(), 2000, 10000)) {
            for (String m : List.of(A01, A03, ORU, A04)) {
                byte[] bytes = m.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                sent.add(bytes);
                AckSummary ack = AckSummary.parse(client.send(bytes));
                assertThat(ack.code()).isEqualTo("AA");
            }
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> ae.count() == 3);
        assertThat(ae.received()).containsExactlyInAnyOrder(sent.get(0), sent.get(1), sent.get(2));

        Path folder = engine.folderOut("diabetes");
        await().atMost(Duration.ofSeconds(20)).until(() -> hl7Files(folder).size() == 2);
        List<byte[]> files = new ArrayList<>();
        for (Path f : hl7Files(folder)) {
            assertThat(f.getFileName().toString()).matches("[0-9A-Z]{26}\\.hl7");
            files.add(Files.readAllBytes(f));
        }
        assertThat(files).containsExactlyInAnyOrder(sent.get(2), sent.get(3));
        try (Stream<Path> all = Files.list(folder)) {
            assertThat(all.filter(p -> p.getFileName().toString().endsWith(".part"))).isEmpty();
        }

        await().atMost(Duration.ofSeconds(20)).until(() ->
                org.ilinks.engine.QueueCounts.count(engine.engine().connectionFactory(), "trust.community.adt") == 1);
        List<Jms.Received> queued = Jms.drain(engine.engine().connectionFactory(), "trust.community.adt", 500);
        assertThat(queued).hasSize(1);
        assertThat(queued.get(0).body()).isEqualTo(sent.get(1));
        assertThat(queued.get(0).messageId()).matches("[0-9A-Z]{26}");

        Thread.sleep(500); // nothing more arrives later
        assertThat(ae.count()).isEqualTo(3);
        assertThat(hl7Files(folder)).hasSize(2);
    }

    @Test
    void theSameMessageIdTravelsWithEveryCopy() throws Exception {
        try (MllpClient client = new MllpClient("127.0.0.1", engine.port(), 2000, 10000)) {
            assertThat(AckSummary.parse(client.send(A03.getBytes())).code()).isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                org.ilinks.engine.QueueCounts.count(engine.engine().connectionFactory(), "trust.community.adt") == 1);
        String queuedId = Jms.drain(engine.engine().connectionFactory(), "trust.community.adt", 500).get(0).messageId();
        assertThat(queuedId).isNotBlank();
        await().atMost(Duration.ofSeconds(20)).until(() -> ae.count() == 1);
        // The folder service does not take A03; the MLLP copy carries no id in its bytes (delivered as received),
        // so the id is checked on the queue copy and against the intake record of the same message.
        assertThat(DatabaseRows.messageIdsFor(engine, "REM", "E2E-2")).containsExactly(queuedId);
    }

    private static List<Path> hl7Files(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
        }
    }
}
