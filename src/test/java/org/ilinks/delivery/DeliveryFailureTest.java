package org.ilinks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.BrokerQueues;
import org.ilinks.support.IntakeSender;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine does with each answer a receiving system can give: AR parks at once, AE is retried up to the
 * service's maxAttempts and then parked, AE that clears up is delivered, and a parked message holds nobody up.
 * One engine and one receiver serve every test; each test uses its own run name in MSH-10 and its own patients.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryFailureTest {

    private static final int MAX_ATTEMPTS = 3; // TestEngine's MLLP services
    private static final String WARD_QUEUE = "ilinks.service.ward";
    private static final String PARKED = "ilinks.service.ward.parked";

    private final MllpReceiver receiver = new MllpReceiver("127.0.0.1", 0);
    private final Map<String, AtomicInteger> flakyAnswers = new ConcurrentHashMap<>();
    private TestEngine engine;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        receiver.start();
        // The run name in MSH-10 says how the receiver treats the message.
        receiver.respondWith(payload -> {
            String id = SequencedMessages.controlIdOf(payload);
            if (id.startsWith("REJECT")) {
                return "AR";
            }
            if (id.startsWith("ERROR")) {
                return "AE";
            }
            if (id.startsWith("FLAKY")) {
                return flakyAnswers.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() <= 2 ? "AE" : "AA";
            }
            return "AA";
        });
        engine = new TestEngine(root).mllpService("ward", receiver.port(), "ADT^A08").start();
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.stop();
        }
        receiver.stop();
    }

    @Test
    void anArAnswerParksTheMessageAtOnceUnchangedWithTheReason() throws Exception {
        byte[] original = SequencedMessages.message("REJECT", 10, 1);
        send(original);

        Parked parked = awaitParked("REJECT-P10-S1");

        assertThat(parked.reason()).contains("AR");
        assertThat(parked.service()).isEqualTo("ward");
        assertThat(parked.parkedAt()).isNotBlank();
        assertThat(parked.body()).as("parked body, byte for byte").isEqualTo(original);
        assertThat(receivedCount("REJECT-P10-S1")).as("deliveries of an AR'd message").isEqualTo(1);
    }

    @Test
    void anAeAnswerEveryTimeParksTheMessageAfterExactlyMaxAttempts() throws Exception {
        byte[] original = SequencedMessages.message("ERROR", 20, 1);
        send(original);

        Parked parked = awaitParked("ERROR-P20-S1");

        assertThat(parked.reason()).contains("AE").contains(MAX_ATTEMPTS + " attempts");
        assertThat(parked.body()).isEqualTo(original);
        assertThat(receivedCount("ERROR-P20-S1")).as("deliveries of an always-AE'd message").isEqualTo(MAX_ATTEMPTS);
    }

    @Test
    void aeTwiceThenAaIsDeliveredAndNotParked() throws Exception {
        send(SequencedMessages.message("FLAKY", 30, 1));

        await("third attempt").atMost(Duration.ofSeconds(30)).until(() -> receivedCount("FLAKY-P30-S1") >= 3);
        await("ward queue drained").atMost(Duration.ofSeconds(30))
                .until(() -> BrokerQueues.messageCount(engine.engine().connectionFactory(), WARD_QUEUE) == 0);

        assertThat(receivedCount("FLAKY-P30-S1")).isEqualTo(3);
        assertThat(parkedControlIds()).doesNotContain("FLAKY-P30-S1");
    }

    @Test
    void messagesAfterAParkedOneKeepFlowingForItsPatientAndForOthers() throws Exception {
        send(SequencedMessages.message("REJECT", 40, 1));
        List<String> after = List.of("NEXT-P40-S2", "NEXT-P41-S1", "NEXT-P42-S1");
        send(SequencedMessages.message("NEXT", 40, 2));
        send(SequencedMessages.message("NEXT", 41, 1));
        send(SequencedMessages.message("NEXT", 42, 1));

        awaitParked("REJECT-P40-S1");
        await("messages after the parked one").atMost(Duration.ofSeconds(30))
                .until(() -> after.stream().allMatch(id -> receivedCount(id) == 1));
        assertThat(parkedControlIds()).doesNotContainAnyElementsOf(after);
        // The parked message went to the receiver before the next one for the same patient.
        List<String> arrived = SequencedMessages.controlIdsOf(receiver.received());
        assertThat(arrived.indexOf("REJECT-P40-S1")).isLessThan(arrived.indexOf("NEXT-P40-S2"));
    }

    private void send(byte[] message) throws Exception {
        try (IntakeSender sender = new IntakeSender(engine.port())) {
            assertThat(sender.send(message)).as("intake ACK").isEqualTo("AA");
        }
    }

    private long receivedCount(String controlId) {
        return SequencedMessages.controlIdsOf(receiver.received()).stream().filter(controlId::equals).count();
    }

    private record Parked(String controlId, byte[] body, String reason, String service, String parkedAt) {
    }

    private Parked awaitParked(String controlId) {
        return await("parked " + controlId).atMost(Duration.ofSeconds(30))
                .until(() -> browseParked().stream().filter(p -> p.controlId().equals(controlId)).findFirst().orElse(null),
                        p -> p != null);
    }

    private List<String> parkedControlIds() throws Exception {
        return browseParked().stream().map(Parked::controlId).toList();
    }

    private List<Parked> browseParked() throws Exception {
        ConnectionFactory cf = engine.engine().connectionFactory();
        List<Parked> all = new ArrayList<>();
        try (Connection c = cf.createConnection()) {
            c.start();
            try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 QueueBrowser browser = s.createBrowser(s.createQueue(PARKED))) {
                for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); ) {
                    Message m = (Message) e.nextElement();
                    byte[] body = bodyOf(m);
                    all.add(new Parked(SequencedMessages.controlIdOf(body), body, m.getStringProperty("ilinksParkedReason"),
                            m.getStringProperty("ilinksParkedService"), m.getStringProperty("ilinksParkedAt")));
                }
            }
        }
        return all;
    }

    private static byte[] bodyOf(Message m) throws Exception {
        if (m instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return body;
        }
        // Anything but bytes risks a charset change on the way; still read it so the assertion shows what came.
        return m.getBody(String.class).getBytes(StandardCharsets.ISO_8859_1);
    }
}
