package org.ilinks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.BrokerQueues;
import org.ilinks.support.IntakeSender;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise behind AA: once intake has answered AA the message survives anything short of losing the disk. The
 * engine runs as {@code ilinks run} in a child JVM and is killed with SIGKILL, then started again on the same data.
 */
class CrashRecoveryTest {

    /** ilinks.delivery.consumers default: at most this many deliveries can be in flight when the engine dies. */
    private static final int DELIVERY_CONSUMERS = 4;

    @TempDir
    Path root;

    private final List<ChildEngine> children = new ArrayList<>();
    private MllpReceiver receiver;

    @AfterEach
    void cleanUp() {
        children.forEach(ChildEngine::close);
        if (receiver != null) {
            receiver.stop();
        }
    }

    @Test
    void everyMessageAckedBeforeAHardKillIsDeliveredExactlyOnceAfterARestart() throws Exception {
        int wardPort = TestEngine.freePort(); // the ward stays down until the engine has been killed
        TestEngine layout = new TestEngine(root).mllpService("ward", wardPort, "ADT^A08");
        int brokerPort = TestEngine.freePort();
        List<byte[]> messages = SequencedMessages.interleaved("CRASH", 5, 10);

        ChildEngine first = start(layout, brokerPort, "first");
        try (IntakeSender sender = new IntakeSender(layout.port())) {
            for (byte[] m : messages) {
                assertThat(sender.send(m)).as("intake ACK").isEqualTo("AA");
            }
        }
        first.kill();

        receiver = new MllpReceiver("127.0.0.1", wardPort);
        receiver.start();
        ChildEngine second = start(layout, brokerPort, "second");
        awaitDrained(second, messages.size());

        List<String> arrived = SequencedMessages.controlIdsOf(receiver.received());
        assertThat(arrived).as("each AA'd message exactly once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(SequencedMessages.controlIdsOf(messages));
        List<Integer> inOrder = IntStream.rangeClosed(1, 10).boxed().toList();
        SequencedMessages.sequencesByPatient(arrived).forEach((patient, sequences) ->
                assertThat(sequences).as("order of %s's messages across the crash", patient).isEqualTo(inOrder));
    }

    @Test
    void everyMessageAckedWhileDeliveringIsDeliveredAtLeastOnceAfterAHardKillMidStream() throws Exception {
        receiver = new MllpReceiver("127.0.0.1", 0);
        receiver.start();
        receiver.respondWith(payload -> {
            try {
                Thread.sleep(5); // slow enough that deliveries are in flight when the engine dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "AA";
        });
        TestEngine layout = new TestEngine(root).mllpService("ward", receiver.port(), "ADT^A08");
        int brokerPort = TestEngine.freePort();
        ChildEngine first = start(layout, brokerPort, "first");

        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<String> notAcked = Collections.synchronizedList(new ArrayList<>());
        Thread sender = new Thread(() -> {
            try (IntakeSender intake = new IntakeSender(layout.port(), 10_000)) {
                for (int i = 0; i < 200; i++) {
                    byte[] m = SequencedMessages.message("STREAM", i % 8, i / 8 + 1);
                    try {
                        if ("AA".equals(intake.send(m))) {
                            acked.add(SequencedMessages.controlIdOf(m));
                        }
                    } catch (IOException | RuntimeException e) {
                        notAcked.add(SequencedMessages.controlIdOf(m)); // the engine died under it
                        return;
                    }
                }
            }
        }, "h4-stream-sender");
        sender.start();
        await("part of the stream ACKed").atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 60);
        first.kill();
        sender.join(30_000);
        assertThat(sender.isAlive()).as("sender still running").isFalse();
        assertThat(acked).as("the kill landed mid-stream").hasSizeLessThan(200);

        ChildEngine second = start(layout, brokerPort, "second");
        await("every AA'd message delivered").atMost(Duration.ofSeconds(60))
                .until(() -> Set.copyOf(SequencedMessages.controlIdsOf(receiver.received())).containsAll(acked));
        awaitDrained(second, acked.size());

        Map<String, Long> receipts = SequencedMessages.controlIdsOf(receiver.received()).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        long twice = receipts.values().stream().filter(n -> n > 1).count();
        System.out.printf("CrashRecoveryTest: %d of 200 ACKed AA before SIGKILL, %d delivered twice, "
                        + "%d delivered though not ACKed (the kill cut their ACK off)%n", acked.size(), twice,
                receipts.keySet().stream().filter(id -> !acked.contains(id)).count());
        assertThat(receipts.keySet()).containsAll(acked);
        assertThat(receipts.values()).as("nothing more than twice").allMatch(n -> n <= 2);
        assertThat(twice).as("duplicates: only deliveries in flight at the kill").isLessThanOrEqualTo(DELIVERY_CONSUMERS);
    }

    @Test
    void sigtermStopsTheEngineCleanlyWithExitStatusZero() throws Exception {
        receiver = new MllpReceiver("127.0.0.1", 0);
        receiver.start();
        TestEngine layout = new TestEngine(root).mllpService("ward", receiver.port(), "ADT^A08");
        ChildEngine child = start(layout, TestEngine.freePort(), "sigterm");
        try (IntakeSender sender = new IntakeSender(layout.port())) {
            assertThat(sender.send(SequencedMessages.message("TERM", 1, 1))).isEqualTo("AA");
        }
        await("delivered").atMost(Duration.ofSeconds(30)).until(() -> receiver.count() == 1);

        int status = child.terminate();

        assertThat(status).as("exit status after SIGTERM; stderr:%n%s", child.stderr()).isZero();
        assertThat(child.stderr()).contains("iLINKS engine stopped");
    }

    private ChildEngine start(TestEngine layout, int brokerPort, String name) throws IOException {
        ChildEngine child = ChildEngine.start(layout, brokerPort, root, name);
        children.add(child);
        return child;
    }

    /** Waits until the receiver has at least {@code expected} messages and the engine's queues are empty. */
    private void awaitDrained(ChildEngine engine, int expected) {
        try (ActiveMQConnectionFactory broker = engine.brokerClient()) {
            await("delivered and queues empty").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> receiver.count() >= expected
                            && BrokerQueues.messageCount(broker, "ilinks.intake") == 0
                            && BrokerQueues.messageCount(broker, "ilinks.service.ward") == 0);
        }
    }
}
