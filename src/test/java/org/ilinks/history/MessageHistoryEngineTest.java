package org.ilinks.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.IntakeSender;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history a real engine keeps (embedded broker, H2, real MLLP services), one status per subscribing service:
 * delivered, withheld by consent, held for an unverified NHS number, parked on AR, failed while a service is down and
 * delivered once it is back, and a message no service subscribes to. Content is encrypted on disk under the
 * configured key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageHistoryEngineTest {

    private final MllpReceiver ward = new MllpReceiver("127.0.0.1", 0);
    private MllpReceiver outpatients;
    private int outpatientsPort;
    private TestEngine engine;
    private ContentCipher cipher;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        ward.start();
        ward.respondWith(payload -> SequencedMessages.controlIdOf(payload).startsWith("REJECT") ? "AR" : "AA");
        outpatientsPort = TestEngine.freePort(); // nobody listens until the test starts a receiver there
        Path key = root.resolve("history.key");
        Files.writeString(key, "0123456789abcdef".repeat(4) + "\n");
        cipher = ContentCipher.fromKeyFile(key);
        engine = new TestEngine(root.resolve("engine"))
                .set("ilinks.history.key-file", key.toString())
                .mllpService("ward", ward.port(), "ADT^A08")
                .service("planning.yaml", "id: planning\ndescription: opt-in planning feed\nsubscribe:\n"
                        + "  messageTypes: [ADT^A08]\ngovernance:\n  consent: opt-in\n  unverifiedNhsNumber: send\n"
                        + "  protectedRecords: receive\nendpoint:\n  folder:\n    path: out/planning\n")
                .service("community.yaml", "id: community\ndescription: holds unverified numbers\nsubscribe:\n"
                        + "  messageTypes: [ADT^A08]\ngovernance:\n  consent: opt-out\n  unverifiedNhsNumber: hold\n"
                        + "  protectedRecords: receive\nendpoint:\n  folder:\n    path: out/community\n")
                .service("outpatients.yaml", "id: outpatients\ndescription: down at first\nsubscribe:\n"
                        + "  messageTypes: [ADT^A03]\n" + TestEngine.OPEN_GOVERNANCE + "endpoint:\n  mllp:\n"
                        + "    host: 127.0.0.1\n    port: " + outpatientsPort + "\n    connectTimeoutMs: 500\n"
                        + "    ackTimeoutMs: 2000\ndelivery:\n  initialDelayMs: 200\n  maxDelayMs: 500\n")
                .start();
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.stop();
        }
        ward.stop();
        if (outpatients != null) {
            outpatients.stop();
        }
    }

    @Test
    void aVerifiedAdmissionIsDeliveredWhereSharedAndWithheldWhereConsentIsNeeded() throws Exception {
        byte[] sent = message("ADT^A08^ADT_A01", "OK-1", 1, "01");
        send(sent);

        MessageSummary m = awaitStatuses("OK-1", Map.of("ward", DeliveryStatus.DELIVERED,
                "planning", DeliveryStatus.WITHHELD, "community", DeliveryStatus.DELIVERED));

        ServiceState ward = service(m, "ward");
        assertThat(ward.attempts()).isEqualTo(1);
        assertThat(ward.deliveredAt()).isNotNull();
        assertThat(ward.lastError()).isNull();
        assertThat(service(m, "planning").reason()).contains("opt-in");
        assertThat(m.messageType() + "^" + m.triggerEvent()).isEqualTo("ADT^A08");
        assertThat(m.sendingFacility()).isEqualTo("H4FAC");
        assertThat(m.unresolved()).isFalse();
        assertThat(m.contentEncrypted()).isTrue();
        assertThat(history().revealPatientContent(m.messageId())).hasValue(sent);
        // On disk: not the message, not the patient's NHS number or name.
        String raw = new String(rawContent(m.messageId()), StandardCharsets.ISO_8859_1);
        assertThat(raw).doesNotContain("MSH|").doesNotContain(nhs(1)).doesNotContain("PATIENT");
    }

    @Test
    void anUnverifiedNhsNumberIsHeldForTheServiceThatHoldsThem() throws Exception {
        send(message("ADT^A08^ADT_A01", "UNV-1", 2, "03"));

        MessageSummary m = awaitStatuses("UNV-1", Map.of("ward", DeliveryStatus.DELIVERED,
                "planning", DeliveryStatus.WITHHELD, "community", DeliveryStatus.HELD));
        assertThat(service(m, "community").reasonCode()).startsWith("NHS_NUMBER_");
        assertThat(service(m, "community").attempts()).isZero();
    }

    @Test
    void anArAnswerParksTheMessageWithTheReasonAndItIsUnresolved() throws Exception {
        send(message("ADT^A08^ADT_A01", "REJECT-1", 3, "01"));

        MessageSummary m = awaitStatuses("REJECT-1", Map.of("ward", DeliveryStatus.PARKED,
                "planning", DeliveryStatus.WITHHELD, "community", DeliveryStatus.DELIVERED));
        assertThat(service(m, "ward").attempts()).isEqualTo(1);
        assertThat(service(m, "ward").lastError()).contains("ACK AR");
        assertThat(m.unresolved()).isTrue();
        assertThat(history().list(new HistoryFilter("ward", null, null, null, null, null, null, true), 0, 50)
                .messages()).extracting(MessageSummary::messageId).contains(m.messageId());
    }

    @Test
    void aMessageNoServiceSubscribesToIsRecordedAsSuch() throws Exception {
        send(message("ORU^R01^ORU_R01", "ORU-1", 4, "01"));

        MessageSummary m = await("ORU-1 in the history").atMost(Duration.ofSeconds(20))
                .until(() -> find("ORU-1"), Optional::isPresent).orElseThrow();
        assertThat(m.routing()).isEqualTo(MessageRecord.Routing.NO_SUBSCRIBER);
        assertThat(m.services()).isEmpty();
        assertThat(history().list(new HistoryFilter(null, "NOT_SUBSCRIBED", null, null, null, null, null, false),
                0, 50).messages()).extracting(MessageSummary::messageId).contains(m.messageId());
    }

    @Test
    void aServiceThatIsDownFailsTheMessageUntilItIsBackThenItIsDelivered() throws Exception {
        send(message("ADT^A03^ADT_A03", "DOWN-1", 5, "01"));

        MessageSummary failing = awaitStatuses("DOWN-1", Map.of("outpatients", DeliveryStatus.FAILED));
        assertThat(failing.unresolved()).isTrue();
        assertThat(service(failing, "outpatients").lastError()).contains("could not be reached");

        outpatients = new MllpReceiver("127.0.0.1", outpatientsPort);
        outpatients.start();

        MessageSummary delivered = awaitStatuses("DOWN-1", Map.of("outpatients", DeliveryStatus.DELIVERED));
        assertThat(service(delivered, "outpatients").attempts()).isGreaterThanOrEqualTo(2);
        assertThat(delivered.unresolved()).isFalse();
        assertThat(outpatients.count()).isEqualTo(1);
    }

    private MessageSummary awaitStatuses(String controlId, Map<String, DeliveryStatus> expected) {
        return await(controlId + " " + expected).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> find(controlId).orElse(null), m -> m != null && m.services().stream()
                        .collect(Collectors.toMap(ServiceState::serviceId, ServiceState::status)).equals(expected));
    }

    private Optional<MessageSummary> find(String controlId) throws Exception {
        try (Connection c = dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT message_id FROM message_record WHERE control_id = ?")) {
            ps.setString(1, controlId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? history().show(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private byte[] rawContent(String messageId) throws Exception {
        try (Connection c = dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT content FROM message_record WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private static ServiceState service(MessageSummary m, String serviceId) {
        return m.services().stream().filter(s -> s.serviceId().equals(serviceId)).findFirst().orElseThrow();
    }

    private MessageHistory history() {
        return new MessageHistory(dataSource(), cipher);
    }

    private DataSource dataSource() {
        return engine.engine().dataSource();
    }

    private void send(byte[] message) throws Exception {
        try (IntakeSender sender = new IntakeSender(engine.port())) {
            assertThat(sender.send(message)).as("intake ACK").isEqualTo("AA");
        }
    }

    private static String nhs(int patient) {
        return org.ilinks.bench.SyntheticMessages.nhsNumber(patient);
    }

    /** A message about a made-up patient, with PID-32 (NHS number trace status) as given. */
    static byte[] message(String type, String controlId, int patient, String traceStatus) {
        String[] pid = new String[33];
        java.util.Arrays.fill(pid, "");
        pid[0] = "PID";
        pid[1] = "1";
        pid[3] = nhs(patient) + "^^^NHS^NH";
        pid[5] = "TEST^PATIENT^P" + patient;
        pid[7] = "19700101";
        pid[8] = "U";
        pid[32] = traceStatus;
        String msg = "MSH|^~\\&|H4TEST|H4FAC|ILINKS|NMERSEY|20261126120000||" + type + "|" + controlId
                + "|P|2.4|||AL|NE|GBR\r"
                + "EVN|" + type.split("\\^")[1] + "|20261126120000\r"
                + String.join("|", pid) + "\r"
                + "PV1|1|I|WARD1^BAY1^BED1^H4FAC||||C0000001^DOCTOR^TEST^^^DR|||180\r";
        return msg.getBytes(StandardCharsets.US_ASCII);
    }
}
