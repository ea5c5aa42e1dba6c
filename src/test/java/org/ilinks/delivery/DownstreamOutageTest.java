package org.ilinks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.ilinks.engine.QueueCounts;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.BrokerQueues;
import org.ilinks.support.IntakeSender;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receiving system that is down for a while: its messages wait in its queue (not parked, not lost), arrive once
 * each and in each patient's order when it comes back, and the other services keep getting theirs meanwhile.
 */
class DownstreamOutageTest {

    private static final int PATIENTS = 6;
    private static final int PER_PATIENT = 10;
    private static final int TOTAL = PATIENTS * PER_PATIENT;

    @TempDir
    Path root;

    private TestEngine engine;
    private MllpReceiver receiver;

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            engine.stop();
        }
        if (receiver != null) {
            receiver.stop();
        }
    }

    @Test
    void messagesWaitForAServiceThatIsDownThenArriveOnceEachInPatientOrder() throws Exception {
        int wardPort = TestEngine.freePort(); // nobody listens here until the test starts the receiver
        engine = new TestEngine(root)
                .mllpService("ward", wardPort, "ADT^A08")
                .folderService("archive", "ADT^A08")
                .start();
        List<byte[]> messages = SequencedMessages.interleaved("OUT", PATIENTS, PER_PATIENT);

        try (IntakeSender sender = new IntakeSender(engine.port())) {
            for (byte[] m : messages) {
                assertThat(sender.send(m)).as("intake ACK").isEqualTo("AA");
            }
        }

        // A service that is down does not slow the others: the folder service gets every copy meanwhile.
        await("archive copies while the ward is down").atMost(Duration.ofSeconds(30))
                .until(() -> filesIn(engine.folderOut("archive")).size() == TOTAL);
        assertThat(filesIn(engine.folderOut("archive")).stream().map(SequencedMessages::controlIdOf))
                .containsExactlyInAnyOrderElementsOf(SequencedMessages.controlIdsOf(messages));

        var cf = engine.engine().connectionFactory();
        // Every message is on the ward's queue, still unacknowledged: some sit in the delivery consumers' buffers,
        // which a browser does not see, so ask the broker.
        await("ward queue holds every message").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(BrokerQueues.messageCount(cf, "ilinks.service.ward")).isEqualTo(TOTAL));
        assertThat(QueueCounts.count(cf, "ilinks.service.ward.parked")).as("parked while down").isZero();

        receiver = new MllpReceiver("127.0.0.1", wardPort);
        receiver.start();

        await("ward receives everything").atMost(Duration.ofSeconds(30))
                .until(() -> receiver.count() >= TOTAL && BrokerQueues.messageCount(cf, "ilinks.service.ward") == 0);
        List<String> arrived = SequencedMessages.controlIdsOf(receiver.received());
        assertThat(arrived).as("each message once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(SequencedMessages.controlIdsOf(messages));
        List<Integer> inOrder = IntStream.rangeClosed(1, PER_PATIENT).boxed().toList();
        Map<String, List<Integer>> byPatient = SequencedMessages.sequencesByPatient(arrived);
        assertThat(byPatient).hasSize(PATIENTS);
        byPatient.forEach((patient, sequences) ->
                assertThat(sequences).as("order of %s's messages", patient).isEqualTo(inOrder));
        assertThat(QueueCounts.count(cf, "ilinks.service.ward.parked")).as("parked after recovery").isZero();
    }

    @Test
    void stoppingWhileAServiceIsDownLeavesItsMessagesQueuedWithoutWaitingOutTheShutdownTimeout() throws Exception {
        int wardPort = TestEngine.freePort();
        engine = new TestEngine(root).mllpService("ward", wardPort, "ADT^A08").start();
        List<byte[]> messages = SequencedMessages.interleaved("STOP", 3, 2);
        try (IntakeSender sender = new IntakeSender(engine.port())) {
            for (byte[] m : messages) {
                assertThat(sender.send(m)).isEqualTo("AA");
            }
        }
        var cf = engine.engine().connectionFactory();
        await("ward queue holds every message").atMost(Duration.ofSeconds(30))
                .until(() -> BrokerQueues.messageCount(cf, "ilinks.service.ward") == messages.size());

        var camel = engine.engine().camelContext();
        engine.stop();
        // Retrying an unreachable service must give way to a stop; otherwise Camel waits out its shutdown timeout
        // and then forces the routes down.
        assertThat(camel.getShutdownStrategy().isTimeoutOccurred()).as("graceful shutdown timed out").isFalse();

        receiver = new MllpReceiver("127.0.0.1", wardPort);
        receiver.start();
        engine.start();
        var cfAgain = engine.engine().connectionFactory();
        await("ward receives everything after the restart").atMost(Duration.ofSeconds(30))
                .until(() -> receiver.count() >= messages.size()
                        && BrokerQueues.messageCount(cfAgain, "ilinks.service.ward") == 0);
        assertThat(SequencedMessages.controlIdsOf(receiver.received())).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(SequencedMessages.controlIdsOf(messages));
    }

    @Test
    void triesMadeWhileTheServiceWasUnreachableDoNotCountAgainstItsMaxAttempts() throws Exception {
        int wardPort = TestEngine.freePort(); // nobody listens here until the test starts the receiver
        engine = new TestEngine(root).mllpService("ward", wardPort, "ADT^A08").start(); // maxAttempts: 3
        try (IntakeSender sender = new IntakeSender(engine.port())) {
            assertThat(sender.send(SequencedMessages.message("AEAFTER", 1, 1))).isEqualTo("AA");
        }
        await("more failed tries while down than maxAttempts").atMost(Duration.ofSeconds(30))
                .until(() -> wardAttempts() > 3);

        receiver = new MllpReceiver("127.0.0.1", wardPort);
        AtomicInteger answers = new AtomicInteger();
        receiver.respondWith(payload -> answers.incrementAndGet() == 1 ? "AE" : "AA"); // one AE, then it takes it
        receiver.start();

        var cf = engine.engine().connectionFactory();
        await("delivered on its second try after the outage").atMost(Duration.ofSeconds(30))
                .until(() -> receiver.count() >= 2 && BrokerQueues.messageCount(cf, "ilinks.service.ward") == 0);
        assertThat(QueueCounts.count(cf, "ilinks.service.ward.parked")).as("parked").isZero();
        assertThat(receiver.count()).isEqualTo(2);
    }

    private long wardAttempts() throws Exception {
        try (var c = engine.engine().dataSource().getConnection();
             var ps = c.prepareStatement("SELECT attempts FROM routing_decision WHERE service_id = 'ward'");
             var rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static List<byte[]> filesIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<byte[]> contents = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".hl7")).toList()) {
                contents.add(Files.readAllBytes(f));
            }
        }
        return contents;
    }
}
