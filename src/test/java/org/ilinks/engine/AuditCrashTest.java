package org.ilinks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.audit.AuditVerifier;
import org.ilinks.audit.VerifyReport;
import org.ilinks.support.BrokerQueues;
import org.ilinks.support.IntakeSender;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "No hop without its audit record, no record for a hop that did not happen", across a hard kill: the engine runs as
 * {@code ilinks run} in a child JVM, is killed with SIGKILL mid-stream, and is started again on the same data.
 */
class AuditCrashTest {

    @TempDir
    Path root;

    private final List<ChildEngine> children = new java.util.ArrayList<>();

    @AfterEach
    void cleanUp() {
        children.forEach(ChildEngine::close);
    }

    @Test
    void afterAHardKillEveryAckedMessageHasItsReceiptAndEveryDeliveryItsEventAndNoMore() throws Exception {
        TestEngine layout = new TestEngine(root).folderService("ward", "ADT^A08");
        int brokerPort = TestEngine.freePort();
        ChildEngine first = start(layout, brokerPort, "first");

        Set<String> acked = ConcurrentHashMap.newKeySet();
        Thread sender = new Thread(() -> {
            try (IntakeSender intake = new IntakeSender(layout.port(), 10_000)) {
                for (int i = 0; i < 300; i++) {
                    byte[] m = SequencedMessages.message("AUDK", i % 8, i / 8 + 1);
                    try {
                        if ("AA".equals(intake.send(m))) {
                            acked.add(SequencedMessages.controlIdOf(m));
                        }
                    } catch (IOException | RuntimeException e) {
                        return; // the engine died under it
                    }
                }
            }
        }, "audit-crash-sender");
        sender.start();
        await("part of the stream ACKed").atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 80);
        first.kill();
        sender.join(30_000);
        assertThat(acked).as("the kill landed mid-stream").hasSizeLessThan(300);

        ChildEngine second = start(layout, brokerPort, "second");
        try (ActiveMQConnectionFactory broker = second.brokerClient()) {
            await("delivered, audited, queues empty").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> deliveredControlIds(layout).keySet().containsAll(acked)
                            && BrokerQueues.messageCount(broker, "ilinks.intake") == 0
                            && BrokerQueues.messageCount(broker, "ilinks.service.ward") == 0
                            && BrokerQueues.messageCount(broker, "ilinks.audit") == 0);
        }
        assertThat(second.terminate()).isZero();

        Map<String, String> delivered = deliveredControlIds(layout); // control id -> message id (file name)
        try (Database db = Database.open(layout.settings())) {
            AuditStore store = new AuditStore(db.dataSource(), new AuditHeadFile(layout.settings().auditHeadFile()));
            Map<String, List<AuditEvent>> trails = new HashMap<>();
            for (String messageId : delivered.values()) {
                trails.put(messageId, store.trail(messageId));
            }
            for (String controlId : acked) {
                List<AuditEvent> trail = trails.get(delivered.get(controlId));
                assertThat(trail).as("trail of %s", controlId).extracting(AuditEvent::type)
                        .containsOnlyOnce(AuditEventType.RECEIVED, AuditEventType.DELIVERED);
            }
            // Every DELIVERED event is of a copy that is really there, and each delivered file has exactly one.
            List<AuditEvent> all = new java.util.ArrayList<>();
            store.forEach(new AuditStore.Filter(null, null, AuditEventType.DELIVERED, null, null, null),
                    stored -> all.add(stored.event()));
            assertThat(all).extracting(AuditEvent::messageId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(delivered.values());
            VerifyReport report = AuditVerifier.verify(db.dataSource(),
                    new AuditHeadFile(layout.settings().auditHeadFile()));
            assertThat(report.ok()).as(report.problem()).isTrue();
            System.out.printf("AuditCrashTest: %d ACKed before SIGKILL, %d delivered, %d audit records verified%n",
                    acked.size(), delivered.size(), report.records());
        }
    }

    private static Map<String, String> deliveredControlIds(TestEngine layout) throws IOException {
        Path dir = layout.folderOut("ward");
        if (!Files.isDirectory(dir)) {
            return Map.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".hl7")).collect(Collectors.toMap(
                    p -> SequencedMessages.controlIdOf(read(p)),
                    p -> p.getFileName().toString().replace(".hl7", ""), (a, b) -> a));
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ChildEngine start(TestEngine layout, int brokerPort, String name) throws IOException {
        ChildEngine child = ChildEngine.start(layout, brokerPort, root, name);
        children.add(child);
        return child;
    }
}
