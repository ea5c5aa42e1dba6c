package org.ilinks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpApplicationRejectAcknowledgementException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.ServiceDefinition.WhenParked;
import org.ilinks.governance.consent.ServiceConsentModel;
import org.ilinks.history.ContentCipher;
import org.ilinks.history.HistoryRecorder;
import org.ilinks.history.MessageHistory;
import org.ilinks.message.MessageHeaders;
import org.ilinks.message.MessageIds;
import org.ilinks.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The holds as the delivery hops and replay drive them, on a real database (H2, and PostgreSQL when it runs): what
 * the history records is what a restart rebuilds, and a release arriving after the copy was already sent again and
 * parked again does not lift the new hold.
 */
class PatientHoldsTest {

    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    private static final String GROUP = "p-000000000000000000000001";
    private static final String OTHER_GROUP = "p-000000000000000000000002";

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aRestartRebuildsTheHoldsOfHoldPatientServicesFromTheHistory(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp); CamelContext camel = new DefaultCamelContext()) {
            DataSource ds = db.database().dataSource();
            HistoryRecorder recorder = new HistoryRecorder(ds, ContentCipher.none(), Clock.fixed(T0, ZoneOffset.UTC));
            PatientHolds holds = new PatientHolds(ds);
            List<ServiceDefinition> services = List.of(service("ward", WhenParked.HOLD_PATIENT),
                    service("desk", WhenParked.CONTINUE));
            holds.use(services);
            String blocker = queued(ds, "ward");
            String first = queued(ds, "ward");
            String second = queued(ds, "ward");
            String deskParked = queued(ds, "desk");

            parkRejected(camel, recorder, holds, "ward", blocker, GROUP);
            parkRejected(camel, recorder, holds, "desk", deskParked, GROUP);
            for (String waiting : List.of(first, second)) {
                Exchange e = arriving(camel, "ward", waiting, GROUP);
                holds.check(e);
                assertThat(e.getProperty(DeliveryProperties.WAITING_BEHIND)).isEqualTo(blocker);
                e.getIn().setHeader(MessageHeaders.PARKED_REASON, ParkingLot.waitingReason(blocker));
                recorder.parkedBehind(e);
            }
            Exchange otherPatient = arriving(camel, "ward", queued(ds, "ward"), OTHER_GROUP);
            holds.check(otherPatient);
            assertThat(otherPatient.getProperty(DeliveryProperties.WAITING_BEHIND)).isNull();

            PatientHolds restarted = new PatientHolds(ds);
            restarted.use(services);

            assertThat(restarted.blockerFor("ward", GROUP)).isEqualTo(blocker);
            assertThat(restarted.blockerFor("desk", GROUP)).as("continue holds nobody").isNull();
            assertThat(new MessageHistory(ds, ContentCipher.none()).waitingBehind("ward", blocker))
                    .containsExactly(first, second);

            // The setting turned off at a reload: the service's holds are forgotten.
            restarted.use(List.of(service("ward", WhenParked.CONTINUE)));
            assertThat(restarted.blockerFor("ward", GROUP)).isNull();
        }
    }

    @Test
    void aReleaseAfterTheCopyCameBackAndWasParkedAgainKeepsTheNewHold() throws Exception {
        try (TestDatabase db = TestDatabase.open("h2", tmp); CamelContext camel = new DefaultCamelContext()) {
            DataSource ds = db.database().dataSource();
            HistoryRecorder recorder = new HistoryRecorder(ds, ContentCipher.none(), Clock.fixed(T0, ZoneOffset.UTC));
            PatientHolds holds = new PatientHolds(ds);
            holds.use(List.of(service("ward", WhenParked.HOLD_PATIENT)));
            String blocker = queued(ds, "ward");
            parkRejected(camel, recorder, holds, "ward", blocker, GROUP);

            // Replay re-queued it; delivery took it (lifting its hold) and it was rejected again before replay
            // got round to releasing it.
            Exchange back = arriving(camel, "ward", blocker, GROUP);
            holds.check(back);
            assertThat(back.getProperty(DeliveryProperties.WAITING_BEHIND)).as("it does not wait behind itself").isNull();
            assertThat(holds.blockerFor("ward", GROUP)).isNull();
            holds.parked(arriving(camel, "ward", blocker, GROUP));
            holds.released("ward", blocker);
            assertThat(holds.blockerFor("ward", GROUP)).as("parked again: holds again").isEqualTo(blocker);

            // The next replay releases it before delivery takes it: lifted at once.
            holds.released("ward", blocker);
            assertThat(holds.blockerFor("ward", GROUP)).isNull();
        }
    }

    private static void parkRejected(CamelContext camel, HistoryRecorder recorder, PatientHolds holds, String service,
                                     String messageId, String group) {
        Exchange e = arriving(camel, service, messageId, group);
        e.setProperty(Exchange.EXCEPTION_CAUGHT, new MllpApplicationRejectAcknowledgementException(new byte[0],
                new byte[0], false));
        e.getIn().setHeader(MessageHeaders.PARKED_REASON, "rejected by the service (ACK AR)");
        recorder.parked(e);
        holds.parked(e);
    }

    private static Exchange arriving(CamelContext camel, String service, String messageId, String group) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(MessageHeaders.MESSAGE_ID, messageId);
        e.getIn().setHeader(MessageHeaders.PATIENT_GROUP, group);
        e.setProperty(DeliveryProperties.SERVICE_ID, service);
        return e;
    }

    /** A copy routing queued for the service (its decision row), under a new message id. */
    private static String queued(DataSource ds, String service) throws Exception {
        String id = MessageIds.next();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO routing_decision (message_id, service_id, outcome,"
                     + " reason_code, reason, stage, decided_at, status) VALUES (?, ?, 'SEND', 'NO_DIRECTIVE_OPT_OUT',"
                     + " 'no dissent recorded', 'ROUTING', ?, 'QUEUED')")) {
            ps.setString(1, id);
            ps.setString(2, service);
            ps.setObject(3, T0.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
        return id;
    }

    private static ServiceDefinition service(String id, WhenParked whenParked) {
        return new ServiceDefinition(id, id, Path.of(id + ".yaml"),
                new ServiceDefinition.Subscription(List.of(ServiceDefinition.MessageTypePattern.parse("*")), List.of()),
                new ServiceDefinition.MllpEndpoint("127.0.0.1", 1, 1000, 1000),
                new ServiceDefinition.DeliveryPolicy(1, 1, 0, 1, 0, whenParked),
                new ServiceDefinition.Governance(ServiceConsentModel.OPT_OUT, Set.of(), false,
                        ServiceDefinition.UnverifiedNhsNumber.SEND, Set.of()));
    }
}
