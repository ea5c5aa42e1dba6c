package org.ilinks.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.ilinks.governance.consent.ConsentChoice;
import org.ilinks.governance.consent.ConsentDecider;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.governance.consent.ConsentScope;
import org.ilinks.governance.consent.DirectiveSource;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.BrokerQueues;
import org.ilinks.support.IntakeSender;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A directive recorded after a message was queued but before delivery stops that delivery." The ward's receiver
 * is down, so two patients' admissions wait in its queue; one patient then dissents; when the ward comes back it
 * gets the other patient's admission only, and the stopped one is recorded as withheld at delivery.
 */
class ConsentAtDeliveryTest {

    private static final String QUEUE = "ilinks.service.ward";

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
    void aDissentRecordedWhileTheMessageWaitsStopsItsDelivery() throws Exception {
        int wardPort = TestEngine.freePort(); // nobody listens here until the receiver starts
        engine = new TestEngine(root)
                .service("ward.yaml", "id: ward\ndescription: ward system, down at first\nsubscribe:\n"
                        + "  messageTypes: [ADT^A01]\ngovernance:\n  consent: opt-out\n  categories: [direct-care]\n"
                        + "  protectedRecords: receive\n  unverifiedNhsNumber: send\nendpoint:\n  mllp:\n"
                        + "    host: 127.0.0.1\n    port: " + wardPort + "\n    connectTimeoutMs: 500\n"
                        + "    ackTimeoutMs: 2000\n")
                .start();
        String dissenting = SyntheticHl7.NHS_1;
        String control = SyntheticHl7.NHS_2;

        try (IntakeSender sender = new IntakeSender(engine.port())) {
            assertThat(sender.send(SyntheticHl7.admission("CAD-1", dissenting).bytes())).isEqualTo("AA");
            assertThat(sender.send(SyntheticHl7.admission("CAD-2", control).bytes())).isEqualTo("AA");
        }
        var cf = engine.engine().connectionFactory();
        await("both admissions wait in the ward's queue").atMost(Duration.ofSeconds(10))
                .until(() -> BrokerQueues.messageCount(cf, QUEUE) == 2
                        && EngineDecisions.decisionsFor(engine, "CAD-1").size() == 1
                        && EngineDecisions.decisionsFor(engine, "CAD-2").size() == 1);
        assertThat(EngineDecisions.decision(engine, "CAD-1", "ward").outcome()).as("decided at routing")
                .isEqualTo("SEND");

        new ConsentRegistry(engine.engine().dataSource()).record(ConsentDirective.builder(dissenting, ConsentScope.ALL,
                        null, ConsentChoice.DISSENT, LocalDate.now(ConsentDecider.ZONE))
                .source(DirectiveSource.PRACTICE, "N81013").recordedBy("test").recordedAt(Instant.now()).build());

        // The next retry's consent check sees the dissent and takes the copy off the queue. Waiting for that before the
        // ward comes back keeps out the one race no check can close: an attempt whose check ran just before the
        // dissent was recorded and whose connection is made just after the ward is back.
        await("the dissenting patient's copy withheld at its next retry").atMost(Duration.ofSeconds(10))
                .until(() -> "DELIVERY".equals(EngineDecisions.decision(engine, "CAD-1", "ward").stage()));
        receiver = new MllpReceiver("127.0.0.1", wardPort);
        receiver.start();

        await("the control patient's admission arrives and the queue drains").atMost(Duration.ofSeconds(15))
                .until(() -> receiver.count() >= 1 && BrokerQueues.messageCount(cf, QUEUE) == 0);
        // Compared by control id (MSH-10), so that a failure prints no message content.
        assertThat(receiver.received().stream().map(m -> new String(m, StandardCharsets.UTF_8).split("\\|", -1)[9]))
                .as("control ids of what the ward received").containsExactly("CAD-2");

        DecisionStore.Row stopped = EngineDecisions.decision(engine, "CAD-1", "ward");
        assertThat(stopped.outcome()).isEqualTo("WITHHELD");
        assertThat(stopped.reasonCode()).isEqualTo("DISSENT_ALL");
        assertThat(stopped.stage()).isEqualTo("DELIVERY");
        assertThat(stopped.reason()).contains("dissent from all sharing", "N81013", "checked at delivery")
                .doesNotContain(dissenting);
        DecisionStore.Row delivered = EngineDecisions.decision(engine, "CAD-2", "ward");
        assertThat(delivered.outcome()).isEqualTo("SEND");
        assertThat(delivered.stage()).isEqualTo("ROUTING");
    }
}
