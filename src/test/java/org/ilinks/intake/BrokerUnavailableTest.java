package org.ilinks.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.ilinks.support.IntakeSender;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intake's promise when the engine's broker (an external one here) goes away: AE at once, never AA for a message
 * that was not stored, never silence; the engine keeps answering; when the broker is back, AA again and every
 * AA'd message is delivered while nothing AE'd is.
 */
class BrokerUnavailableTest {

    /** The ACK must come well inside a sender's usual 15-30 s timeout. */
    private static final int SENDER_ACK_TIMEOUT_MS = 15_000;

    @TempDir
    Path root;

    private EmbeddedActiveMQ broker;
    private int brokerPort;
    private boolean brokerUp;
    private TestEngine engine;

    @AfterEach
    void cleanUp() throws Exception {
        // An engine whose broker is gone takes minutes to stop (its JMS consumers keep reconnecting): bring the
        // broker back first when a failed test left it down, and stop the engine before the broker.
        if (engine != null && !brokerUp) {
            startBroker();
        }
        if (engine != null) {
            engine.stop();
        }
        if (brokerUp) {
            stopBroker();
        }
    }

    @Test
    void withTheBrokerDownIntakeAnswersAeAndRecoversWhenItIsBack() throws Exception {
        brokerPort = TestEngine.freePort();
        startBroker();
        engine = new TestEngine(root.resolve("engine"))
                .set("ilinks.broker.url", "tcp://127.0.0.1:" + brokerPort)
                .folderService("archive", "ADT^A08")
                .start();
        List<String> acked = new ArrayList<>();
        List<String> aeed = new ArrayList<>();
        int sequence = 0;

        try (IntakeSender sender = new IntakeSender(engine.port(), SENDER_ACK_TIMEOUT_MS)) {
            byte[] before = SequencedMessages.message("BROKER", 1, ++sequence);
            assertThat(sender.send(before)).as("ACK with the broker up").isEqualTo("AA");
            acked.add(SequencedMessages.controlIdOf(before));

            stopBroker();
            for (int i = 0; i < 2; i++) {
                byte[] during = SequencedMessages.message("BROKER", 1, ++sequence);
                // An exception here (no ACK within the sender's timeout) fails the test: silence is not an answer.
                assertThat(sender.send(during)).as("ACK with the broker down").isEqualTo("AE");
                aeed.add(SequencedMessages.controlIdOf(during));
            }

            startBroker();
            while (true) {
                byte[] after = SequencedMessages.message("BROKER", 1, ++sequence);
                String code = sender.send(after);
                assertThat(code).as("ACK while the broker comes back").isIn("AA", "AE");
                (code.equals("AA") ? acked : aeed).add(SequencedMessages.controlIdOf(after));
                if (code.equals("AA")) {
                    break;
                }
                assertThat(sequence).as("messages sent before intake recovered").isLessThan(60);
                Thread.sleep(500);
            }
            for (int i = 0; i < 3; i++) {
                byte[] more = SequencedMessages.message("BROKER", 2, i + 1);
                assertThat(sender.send(more)).as("ACK once recovered").isEqualTo("AA");
                acked.add(SequencedMessages.controlIdOf(more));
            }
        }

        await("every AA'd message delivered").atMost(Duration.ofSeconds(60))
                .until(() -> deliveredControlIds().containsAll(acked));
        assertThat(deliveredControlIds()).as("delivered: the AA'd ones, once each, and nothing AE'd")
                .containsExactlyInAnyOrderElementsOf(acked)
                .doesNotContainAnyElementsOf(aeed);
        // Each AE is in the audit trail, written straight to the table while the broker was down.
        org.ilinks.audit.AuditStore trail = new org.ilinks.audit.AuditStore(engine.engine().dataSource(),
                new org.ilinks.audit.AuditHeadFile(engine.engine().settings().auditHeadFile()));
        List<String> aeRecorded = new ArrayList<>();
        trail.forEach(new org.ilinks.audit.AuditStore.Filter(null, null, org.ilinks.audit.AuditEventType.REJECTED,
                null, null, null), s -> aeRecorded.add(s.event().detail()));
        assertThat(aeRecorded).as("one REJECTED event per AE").hasSize(aeed.size())
                .allSatisfy(d -> assertThat(d).startsWith("AE not stored"));
        for (String controlId : aeed) {
            assertThat(aeRecorded).anySatisfy(d -> assertThat(d).contains("MSH-10 " + controlId + ","));
        }
    }

    private List<String> deliveredControlIds() throws IOException {
        Path folder = engine.folderOut("archive");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".hl7")).toList()) {
                ids.add(SequencedMessages.controlIdOf(Files.readAllBytes(f)));
            }
        }
        return ids;
    }

    private void stopBroker() throws Exception {
        brokerUp = false;
        broker.stop();
    }

    private void startBroker() throws Exception {
        Path dir = root.resolve("broker");
        Configuration c = new ConfigurationImpl();
        c.setName("h4-external");
        c.setPersistenceEnabled(true);
        c.setSecurityEnabled(false);
        c.setJMXManagementEnabled(false);
        c.setJournalType(JournalType.NIO);
        c.setJournalDirectory(dir.resolve("journal").toString());
        c.setBindingsDirectory(dir.resolve("bindings").toString());
        c.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        c.setPagingDirectory(dir.resolve("paging").toString());
        c.setNodeManagerLockDirectory(dir.resolve("lock").toString());
        c.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + brokerPort);
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(c);
        broker.start();
        brokerUp = true;
    }
}
