package org.ilinks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.history.ContentCipher;
import org.ilinks.history.MessageHistory;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.IntakeSender;
import org.ilinks.support.Jms;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code delivery.whenParked}: with {@code hold-patient}, once a service rejects a patient's message, that patient's
 * later messages for it are parked behind it, in order, while other patients' messages flow; with {@code continue}
 * (the default) they are delivered. The hold survives a restart and is lifted when the parked message is sent again.
 * Real engine, real MLLP receivers answering AR to the control ids in {@link #rejecting}, AA otherwise.
 */
class WaitBehindParkedTest {

    @TempDir
    Path root;

    private final Set<String> rejecting = ConcurrentHashMap.newKeySet();
    private final MllpReceiver ward = new MllpReceiver("127.0.0.1", 0);
    private final MllpReceiver desk = new MllpReceiver("127.0.0.1", 0);
    private TestEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.stop();
        }
        ward.stop();
        desk.stop();
    }

    @Test
    void withHoldPatientThePatientsLaterMessagesAreParkedBehindTheRejectedOneAndOtherPatientsFlow() throws Exception {
        startReceivers();
        engine = new TestEngine(root).service("ward.yaml", holdingService("ward", ward.port()))
                .mllpService("desk", desk.port(), "ADT^A08").start();
        rejecting.add("A-P1-S1");

        send(SequencedMessages.message("A", 1, 1));
        send(SequencedMessages.message("A", 1, 2));
        send(SequencedMessages.message("A", 1, 3));
        send(SequencedMessages.message("A", 2, 1));

        await("the patient's later messages parked for ward").atMost(Duration.ofSeconds(30))
                .until(() -> "PARKED".equals(row("A-P1-S3", "ward").status()));
        await("the other patient's message delivered to ward").atMost(Duration.ofSeconds(30))
                .until(() -> received(ward).contains("A-P2-S1"));
        await("desk (continue) has every message but the rejected one").atMost(Duration.ofSeconds(30))
                .until(() -> received(desk).containsAll(List.of("A-P1-S2", "A-P1-S3", "A-P2-S1")));

        String blocker = row("A-P1-S1", "ward").messageId();
        Row second = row("A-P1-S2", "ward");
        Row third = row("A-P1-S3", "ward");
        assertThat(received(ward)).as("what ward was sent").containsExactly("A-P1-S1", "A-P2-S1");
        assertThat(List.of(second.status(), second.waitingBehind(), third.status(), third.waitingBehind()))
                .containsExactly("PARKED", blocker, "PARKED", blocker);
        assertThat(second.lastError()).isEqualTo("waiting behind parked message " + blocker);
        assertThat(row("A-P1-S1", "ward").waitingBehind()).as("the rejected one waits behind nothing").isNull();
        assertThat(history().waitingBehind("ward", blocker)).containsExactly(second.messageId(), third.messageId());

        List<Jms.Received> parked = Jms.browse(cf(), "ilinks.service.ward.parked");
        assertThat(parked).extracting(p -> SequencedMessages.controlIdOf(p.body()))
                .containsExactly("A-P1-S1", "A-P1-S2", "A-P1-S3");
        assertThat(parked.get(1).message().getStringProperty("ilinksParkedReason"))
                .isEqualTo("waiting behind parked message " + blocker);
        assertThat(parked.get(0).message().getStringProperty("ilinksParkedReason")).contains("ACK AR");

        // continue: only the rejected message is parked, and nothing waits behind it
        assertThat(row("A-P1-S2", "desk").status()).isEqualTo("DELIVERED");
        assertThat(Jms.browse(cf(), "ilinks.service.desk.parked")).extracting(p -> SequencedMessages.controlIdOf(p.body()))
                .containsExactly("A-P1-S1");
        assertThat(history().waitingBehind("desk", row("A-P1-S1", "desk").messageId())).isEmpty();

        AuditStore audit = new AuditStore(engine.engine().dataSource(),
                new AuditHeadFile(engine.settings().auditHeadFile()));
        List<AuditEvent> trail = await("the audit trail of the waiting message").atMost(Duration.ofSeconds(20))
                .until(() -> audit.trail(second.messageId()),
                        t -> t.stream().anyMatch(e -> e.type() == AuditEventType.PARKED));
        assertThat(trail).filteredOn(e -> e.type() == AuditEventType.PARKED)
                .singleElement().satisfies(e -> {
                    assertThat(e.serviceId()).isEqualTo("ward");
                    assertThat(e.detail()).isEqualTo("waiting behind parked message " + blocker);
                });
    }

    @Test
    void theHoldSurvivesARestartAndSendingTheParkedMessageAgainLetsThePatientsMessagesThroughInOrder()
            throws Exception {
        startReceivers();
        engine = new TestEngine(root).service("ward.yaml", holdingService("ward", ward.port())).start();
        rejecting.add("B-P1-S1");
        send(SequencedMessages.message("B", 1, 1));
        send(SequencedMessages.message("B", 1, 2));
        await("second message parked behind the first").atMost(Duration.ofSeconds(30))
                .until(() -> "PARKED".equals(row("B-P1-S2", "ward").status()));
        String blocker = row("B-P1-S1", "ward").messageId();
        String group = Jms.browse(cf(), "ilinks.service.ward.parked").get(0).message().getStringProperty("JMSXGroupID");

        engine.stop();
        engine.start();

        assertThat(engine.engine().patientHolds().blockerFor("ward", group)).as("hold reloaded").isEqualTo(blocker);
        send(SequencedMessages.message("B", 1, 3));
        await("third message parked behind the first, after the restart").atMost(Duration.ofSeconds(30))
                .until(() -> blocker.equals(row("B-P1-S3", "ward").waitingBehind()));

        // What replay does: the parked message back on the service's queue, the hold released, then the ones
        // waiting behind it, in order. The service takes them now.
        rejecting.clear();
        List<String> waiting = history().waitingBehind("ward", blocker);
        assertThat(waiting).hasSize(2);
        requeue(blocker);
        engine.engine().patientHolds().released("ward", blocker);
        assertThat(engine.engine().patientHolds().blockerFor("ward", group)).as("hold lifted").isNull();
        for (String id : waiting) {
            requeue(id);
        }
        send(SequencedMessages.message("B", 1, 4));

        await("every message of the patient delivered").atMost(Duration.ofSeconds(30))
                .until(() -> received(ward).contains("B-P1-S4"));
        List<String> arrived = received(ward);
        assertThat(arrived).as("the first as rejected, then all in order")
                .containsExactly("B-P1-S1", "B-P1-S1", "B-P1-S2", "B-P1-S3", "B-P1-S4");
        assertThat(row("B-P1-S3", "ward").status()).isEqualTo("DELIVERED");
    }

    private void startReceivers() throws Exception {
        for (MllpReceiver r : List.of(ward, desk)) {
            r.start();
            r.respondWith(payload -> rejecting.contains(SequencedMessages.controlIdOf(payload)) ? "AR" : "AA");
        }
    }

    private static String holdingService(String id, int port) {
        return "id: " + id + "\ndescription: holds a patient's messages behind a parked one\nsubscribe:\n"
                + "  messageTypes: [ADT^A08]\n" + TestEngine.OPEN_GOVERNANCE + "endpoint:\n  mllp:\n"
                + "    host: 127.0.0.1\n    port: " + port + "\n    connectTimeoutMs: 1000\n    ackTimeoutMs: 3000\n"
                + "delivery:\n  maxAttempts: 3\n  whenParked: hold-patient\n";
    }

    private void send(byte[] message) throws Exception {
        try (IntakeSender sender = new IntakeSender(engine.port())) {
            assertThat(sender.send(message)).as("intake ACK").isEqualTo("AA");
        }
    }

    private static List<String> received(MllpReceiver receiver) {
        return SequencedMessages.controlIdsOf(receiver.received());
    }

    private ConnectionFactory cf() {
        return engine.engine().connectionFactory();
    }

    private MessageHistory history() {
        return new MessageHistory(engine.engine().dataSource(), ContentCipher.none());
    }

    private record Row(String messageId, String status, String waitingBehind, String lastError) {
    }

    /** The service's history row of the message with this control id (an empty row until routing wrote it). */
    private Row row(String controlId, String service) throws Exception {
        try (java.sql.Connection c = engine.engine().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT d.message_id, d.status, d.waiting_behind, d.last_error "
                     + "FROM routing_decision d JOIN message_record m ON m.message_id = d.message_id "
                     + "WHERE m.control_id = ? AND d.service_id = ?")) {
            ps.setString(1, controlId);
            ps.setString(2, service);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))
                        : new Row(null, null, null, null);
            }
        }
    }

    /** Takes a parked copy off ward's parked queue and puts it back on ward's queue, properties and group kept. */
    private void requeue(String messageId) throws Exception {
        try (Connection c = cf().createConnection()) {
            c.start();
            try (Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                 MessageConsumer consumer = s.createConsumer(s.createQueue("ilinks.service.ward.parked"),
                         "ilinksMessageId = '" + messageId + "'")) {
                BytesMessage parked = (BytesMessage) consumer.receive(10_000);
                assertThat(parked).as("parked copy " + messageId).isNotNull();
                byte[] body = new byte[(int) parked.getBodyLength()];
                parked.readBytes(body);
                BytesMessage again = s.createBytesMessage();
                again.writeBytes(body);
                for (Object property : Collections.list(parked.getPropertyNames())) {
                    String name = property.toString();
                    if (!name.startsWith("ilinksParked") && !name.startsWith("JMSX") && !name.startsWith("_")) {
                        again.setObjectProperty(name, parked.getObjectProperty(name));
                    }
                }
                again.setStringProperty("JMSXGroupID", parked.getStringProperty("JMSXGroupID"));
                s.createProducer(s.createQueue("ilinks.service.ward")).send(again);
                s.commit();
            }
        }
    }
}
