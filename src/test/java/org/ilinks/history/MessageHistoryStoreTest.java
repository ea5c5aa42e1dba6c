package org.ilinks.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
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
import org.ilinks.governance.DecisionStore;
import org.ilinks.governance.Outcome;
import org.ilinks.governance.ServiceOutcome;
import org.ilinks.governance.consent.ServiceConsentModel;
import org.ilinks.message.MessageHeaders;
import org.ilinks.support.TestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The message history on H2 and on PostgreSQL (when it answers), written as the hops write it: statuses only move
 * forward whatever order and how often the hops' writes come, content is encrypted at rest, the queries filter and
 * page, and retention removes old content but never an unresolved message's.
 */
class MessageHistoryStoreTest {

    private static final String PATIENT = "9434765919";
    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    private static final byte[] BODY = ("MSH|^~\\&|GPSYS|N81013|ILINKS|NMERSEY|20261101090000||ADT^A08^ADT_A01|C1|P|2.4\r"
            + "PID|1||" + PATIENT + "^^^NHS^NH||SMITH^JANE||19700101|F\r").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aRepeatedOrLateHopNeverTakesADeliveredCopyBack(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp); CamelContext camel = new DefaultCamelContext()) {
            DataSource ds = db.database().dataSource();
            HistoryRecorder recorder = new HistoryRecorder(ds, ContentCipher.none(), Clock.fixed(T0, ZoneOffset.UTC));
            MessageHistory history = new MessageHistory(ds, ContentCipher.none());
            route(ds, recorder, camel, "M1", "ward", Outcome.SEND);

            Exchange attempt = delivery(camel, "M1", "ward");
            attempt.setProperty(Exchange.EXCEPTION_CAUGHT, new java.net.ConnectException("refused"));
            recorder.attemptFailed(attempt);
            assertThat(state(history, "M1")).extracting(ServiceState::status, ServiceState::attempts)
                    .containsExactly(DeliveryStatus.FAILED, 1);
            assertThat(state(history, "M1").lastError()).contains("could not be reached").contains("ConnectException")
                    .doesNotContain("refused");

            recorder.delivered(delivery(camel, "M1", "ward"));
            assertThat(state(history, "M1").status()).isEqualTo(DeliveryStatus.DELIVERED);
            Instant deliveredAt = state(history, "M1").deliveredAt();

            // The delivery hop again (its JMS commit was lost after the write), now failing and then parked: the
            // attempts it made count, the status stays delivered.
            Exchange again = delivery(camel, "M1", "ward");
            again.setProperty(Exchange.EXCEPTION_CAUGHT, new MllpApplicationRejectAcknowledgementException(
                    new byte[0], new byte[0], false));
            again.getIn().setHeader(MessageHeaders.PARKED_REASON, "rejected by the service (ACK AR)");
            recorder.parked(again);
            recorder.delivered(delivery(camel, "M1", "ward"));
            // ...and routing again (its JMS commit was lost too): the decision stays, the copy's status too.
            route(ds, recorder, camel, "M1", "ward", Outcome.SEND);
            new DecisionStore(ds).withheldAtDelivery(id("M1"), "ward", "DISSENT_ALL", "dissent", T0);

            ServiceState after = state(history, "M1");
            assertThat(after.status()).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(after.attempts()).as("failed, delivered, rejected, delivered").isEqualTo(4);
            assertThat(after.deliveredAt()).isEqualTo(deliveredAt);
            assertThat(history.list(HistoryFilter.all(), 0, 10).messages()).hasSize(1);

            // An AR parks at once: that attempt is counted once, not twice.
            route(ds, recorder, camel, "M2", "ward", Outcome.SEND);
            Exchange rejected = delivery(camel, "M2", "ward");
            rejected.setProperty(Exchange.EXCEPTION_CAUGHT, new MllpApplicationRejectAcknowledgementException(
                    new byte[0], new byte[0], false));
            rejected.getIn().setHeader(MessageHeaders.PARKED_REASON, "rejected by the service (ACK AR)");
            recorder.parked(rejected);
            assertThat(state(history, "M2")).extracting(ServiceState::status, ServiceState::attempts)
                    .containsExactly(DeliveryStatus.PARKED, 1);
            // A parked copy the broker delivers again after all (the parking hop rolled back) is delivered.
            recorder.delivered(delivery(camel, "M2", "ward"));
            assertThat(state(history, "M2").status()).isEqualTo(DeliveryStatus.DELIVERED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void contentIsEncryptedAtRestAndOnlyTheConfiguredKeyOpensIt(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp); CamelContext camel = new DefaultCamelContext()) {
            DataSource ds = db.database().dataSource();
            ContentCipher cipher = ContentCipher.fromKeyFile(key("a", "11".repeat(32)));
            HistoryRecorder recorder = new HistoryRecorder(ds, cipher, Clock.fixed(T0, ZoneOffset.UTC));
            route(ds, recorder, camel, "M1", "ward", Outcome.SEND);
            route(ds, recorder, camel, "M2", "ward", Outcome.SEND);

            byte[] stored = rawContent(ds, "M1");
            assertThat(stored).isNotEqualTo(BODY);
            assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(PATIENT).doesNotContain("SMITH");
            assertThat(stored).as("random nonce per message").isNotEqualTo(rawContent(ds, "M2"));
            assertThat(new MessageHistory(ds, cipher).revealPatientContent(id("M1"))).hasValue(BODY);
            assertThat(new MessageHistory(ds, cipher).show(id("M1")).orElseThrow().contentEncrypted()).isTrue();

            ContentCipher other = ContentCipher.fromKeyFile(key("b", "22".repeat(32)));
            assertThatThrownBy(() -> new MessageHistory(ds, other).revealPatientContent(id("M1")))
                    .hasMessageContaining("another key");
            assertThatThrownBy(() -> new MessageHistory(ds, ContentCipher.none()).revealPatientContent(id("M1")))
                    .hasMessageContaining("no ilinks.history.key-file");
            // A body moved to another message's row does not decrypt (the message id is authenticated).
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement("UPDATE message_record SET content = ? WHERE message_id = ?")) {
                ps.setBytes(1, stored);
                ps.setString(2, id("M2"));
                ps.executeUpdate();
            }
            assertThatThrownBy(() -> new MessageHistory(ds, cipher).revealPatientContent(id("M2")))
                    .hasMessageContaining("does not decrypt").hasMessageNotContaining(PATIENT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void retentionRemovesOldContentButNeverAnUnresolvedMessagesAndKeepsTheMetadata(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp); CamelContext camel = new DefaultCamelContext()) {
            DataSource ds = db.database().dataSource();
            HistoryRecorder recorder = new HistoryRecorder(ds, ContentCipher.none(), Clock.fixed(T0, ZoneOffset.UTC));
            route(ds, recorder, camel, "OLD-DELIVERED", "ward", Outcome.SEND);
            recorder.delivered(delivery(camel, "OLD-DELIVERED", "ward"));
            route(ds, recorder, camel, "OLD-WITHHELD", "ward", Outcome.WITHHELD);
            route(ds, recorder, camel, "OLD-PARKED", "ward", Outcome.SEND);
            Exchange rejected = delivery(camel, "OLD-PARKED", "ward");
            rejected.getIn().setHeader(MessageHeaders.PARKED_REASON, "rejected by the service (ACK AR)");
            recorder.parked(rejected);
            route(ds, recorder, camel, "OLD-FAILING", "ward", Outcome.SEND);
            recorder.attemptFailed(delivery(camel, "OLD-FAILING", "ward"));
            route(ds, recorder, camel, "OLD-HELD", "ward", Outcome.HELD);
            HistoryRecorder later = new HistoryRecorder(ds, ContentCipher.none(),
                    Clock.fixed(T0.plus(Duration.ofDays(20)), ZoneOffset.UTC));
            route(ds, later, camel, "NEW-DELIVERED", "ward", Outcome.SEND, T0.plus(Duration.ofDays(20)));
            later.delivered(delivery(camel, "NEW-DELIVERED", "ward"));

            MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(31)));
            ContentRetention retention = new ContentRetention(ds, clock, Duration.ofDays(30));
            assertThat(retention.run()).isEqualTo(2);

            MessageHistory history = new MessageHistory(ds, ContentCipher.none());
            assertThat(history.revealPatientContent(id("OLD-DELIVERED"))).isEmpty();
            assertThat(history.revealPatientContent(id("OLD-WITHHELD"))).isEmpty();
            assertThat(history.revealPatientContent(id("OLD-PARKED"))).as("parked, unresolved").hasValue(BODY);
            assertThat(history.revealPatientContent(id("OLD-FAILING"))).as("failed, still retrying").hasValue(BODY);
            assertThat(history.revealPatientContent(id("OLD-HELD"))).as("held, waiting for release").hasValue(BODY);
            assertThat(history.revealPatientContent(id("NEW-DELIVERED"))).as("20 days old").hasValue(BODY);
            MessageSummary removed = history.show(id("OLD-DELIVERED")).orElseThrow();
            assertThat(removed.contentKept()).isFalse();
            assertThat(removed.contentRemovedAt()).isEqualTo(clock.instant());
            assertThat(removed.controlId()).as("metadata kept").isEqualTo("C-OLD-DELIVERED");
            assertThat(removed.services()).extracting(ServiceState::status).containsExactly(DeliveryStatus.DELIVERED);

            // Once the parked one is delivered (replayed), the next run removes its content too.
            recorder.delivered(delivery(camel, "OLD-PARKED", "ward"));
            assertThat(retention.run()).isEqualTo(1);
            assertThat(history.revealPatientContent(id("OLD-PARKED"))).isEmpty();
            assertThat(retention.run()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void listFiltersAndPagesNewestFirst(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp); CamelContext camel = new DefaultCamelContext()) {
            DataSource ds = db.database().dataSource();
            HistoryRecorder recorder = new HistoryRecorder(ds, ContentCipher.none(), Clock.fixed(T0, ZoneOffset.UTC));
            for (int i = 1; i <= 5; i++) {
                route(ds, recorder, camel, "D" + i, "ward", Outcome.SEND, T0.plusSeconds(i));
                recorder.delivered(delivery(camel, "D" + i, "ward"));
            }
            route(ds, recorder, camel, "P1", "ward", Outcome.SEND, T0.plusSeconds(10));
            Exchange rejected = delivery(camel, "P1", "ward");
            rejected.getIn().setHeader(MessageHeaders.PARKED_REASON, "rejected by the service (ACK AR)");
            recorder.parked(rejected);
            route(ds, recorder, camel, "W1", "planning", Outcome.WITHHELD, T0.plusSeconds(11));
            route(ds, recorder, camel, "N1", "ward", Outcome.NOT_SUBSCRIBED, T0.plusSeconds(12));
            ids.put("R1", org.ilinks.message.MessageIds.timePrefix(T0.plusSeconds(13)) + "R100000000000000");
            try (Connection c = ds.getConnection()) {
                new MessageRecord(id("R1"), T0.plusSeconds(13), T0.plusSeconds(13), "ORU", "R01", "LAB", "REM", "C-R1",
                        "2.4", MessageRecord.Routing.PARKED, "governance could not be applied (facts): "
                        + "IllegalArgumentException; nothing was sent to any service", 3, new byte[] {1, 2, 3}, null)
                        .write(c, false);
            }
            MessageHistory history = new MessageHistory(ds, ContentCipher.none());

            assertThat(names(history.list(HistoryFilter.all(), 0, 3))).containsExactly("R1", "N1", "W1");
            MessageHistory.Page second = history.list(HistoryFilter.all(), 1, 3);
            assertThat(names(second)).containsExactly("P1", "D5", "D4");
            assertThat(second.more()).isTrue();
            assertThat(history.list(HistoryFilter.all(), 2, 3).more()).isFalse();
            assertThat(names(history.list(filter("ward", "DELIVERED", null, null, false), 0, 50)))
                    .containsExactly("D5", "D4", "D3", "D2", "D1");
            assertThat(names(history.list(filter(null, null, null, null, true), 0, 50))).containsExactly("R1", "P1");
            assertThat(names(history.list(filter("ward", null, null, null, true), 0, 50))).containsExactly("P1");
            assertThat(names(history.list(filter(null, "parked", null, null, false), 0, 50))).containsExactly("R1", "P1");
            assertThat(names(history.list(filter(null, null, null, "ack ar", false), 0, 50))).containsExactly("P1");
            assertThat(names(history.list(filter(null, null, null, "FACTS", false), 0, 50))).containsExactly("R1");
            assertThat(names(history.list(filter(null, null, null, "100%", false), 0, 50))).isEmpty();
            assertThat(names(history.list(filter(null, "withheld", null, null, false), 0, 50))).containsExactly("W1");
            assertThat(names(history.list(filter(null, "not_subscribed", null, null, false), 0, 50)))
                    .containsExactly("N1");
            assertThat(names(history.list(filter(null, null, "oru^r01", null, false), 0, 50))).containsExactly("R1");
            assertThat(names(history.list(filter(null, null, "ADT", null, false), 0, 50))).hasSize(8);
            assertThat(names(history.list(new HistoryFilter(null, null, T0.plusSeconds(2), T0.plusSeconds(4), null,
                    null, null, false), 0, 50))).containsExactly("D3", "D2");
            assertThat(names(history.list(new HistoryFilter(null, null, null, null, null, null, id("D3"), false), 0, 50)))
                    .containsExactly("D3");
            assertThatThrownBy(() -> filter(null, "lost", null, null, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PARKED");
            MessageSummary parked = history.show(id("P1")).orElseThrow();
            assertThat(parked.unresolved()).isTrue();
            assertThat(parked.services().get(0).lastError()).contains("ACK AR");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void deliveriesFromManyConsumersAtOnceAreEachRecordedOnceAndCommittedBeforeTheHopGoesOn(String kind)
            throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp); CamelContext camel = new DefaultCamelContext()) {
            DataSource ds = db.database().dataSource();
            HistoryRecorder recorder = new HistoryRecorder(ds, ContentCipher.none(), Clock.fixed(T0, ZoneOffset.UTC));
            int consumers = 8;
            int each = 40;
            for (int t = 0; t < consumers; t++) {
                for (int i = 0; i < each; i++) {
                    route(ds, recorder, camel, "C" + t + "-" + i, "ward", Outcome.SEND);
                }
            }
            MessageHistory history = new MessageHistory(ds, ContentCipher.none());
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(consumers);
            List<java.util.concurrent.Future<List<String>>> results = new java.util.ArrayList<>();
            for (int t = 0; t < consumers; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<String> notYetCommitted = new java.util.ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        String name = "C" + thread + "-" + i;
                        recorder.delivered(delivery(camel, name, "ward"));
                        // What the hop relies on: its row is committed when delivered() returns.
                        if (state(history, name).status() != DeliveryStatus.DELIVERED) {
                            notYetCommitted.add(name);
                        }
                    }
                    return notYetCommitted;
                }));
            }
            pool.shutdown();
            for (java.util.concurrent.Future<List<String>> r : results) {
                assertThat(r.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
            }
            assertThat(history.list(new HistoryFilter("ward", "DELIVERED", null, null, null, null, null, false), 0,
                    1000).messages()).hasSize(consumers * each)
                    .allSatisfy(m -> assertThat(m.services().get(0).attempts()).isEqualTo(1));
        }
    }

    private static HistoryFilter filter(String service, String status, String type, String error, boolean unresolved) {
        return new HistoryFilter(service, status, null, null, type, error, null, unresolved);
    }

    /** The test names of the messages on a page. */
    private List<String> names(MessageHistory.Page page) {
        java.util.Map<String, String> byId = new java.util.HashMap<>();
        ids.forEach((name, id) -> byId.put(id, name));
        return page.messages().stream().map(m -> byId.getOrDefault(m.messageId(), m.messageId())).toList();
    }

    private void route(DataSource ds, HistoryRecorder recorder, CamelContext camel, String name,
                       String serviceId, Outcome outcome) {
        route(ds, recorder, camel, name, serviceId, outcome, T0);
    }

    /**
     * The message id of a test message named {@code name}: like the engine's, it begins with the time it was
     * received (the first use of the name fixes it).
     */
    private String id(String name) {
        return ids.computeIfAbsent(name, n -> { throw new IllegalStateException("not routed yet: " + n); });
    }

    private final java.util.Map<String, String> ids = new java.util.HashMap<>();

    /** What the routing hop writes: the decision and, in its transaction, the message's record. */
    private void route(DataSource ds, HistoryRecorder recorder, CamelContext camel, String name,
                       String serviceId, Outcome outcome, Instant at) {
        String messageId = ids.computeIfAbsent(name, n -> org.ilinks.message.MessageIds.timePrefix(at)
                + (n + "................").substring(0, 16));
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(MessageHeaders.MESSAGE_ID, messageId);
        e.getIn().setHeader(MessageHeaders.RECEIVED_AT, at.toEpochMilli());
        e.getIn().setHeader(MessageHeaders.MESSAGE_TYPE, "ADT");
        e.getIn().setHeader(MessageHeaders.TRIGGER_EVENT, "A08");
        e.getIn().setHeader(MessageHeaders.SENDING_APPLICATION, "GPSYS");
        e.getIn().setHeader(MessageHeaders.SENDING_FACILITY, "N81013");
        e.getIn().setHeader(MessageHeaders.CONTROL_ID, "C-" + name);
        e.getIn().setHeader(MessageHeaders.VERSION, "2.4");
        MessageRecord record = recorder.arrival(e.getIn(), BODY, outcome == Outcome.NOT_SUBSCRIBED
                ? MessageRecord.Routing.NO_SUBSCRIBER : MessageRecord.Routing.ROUTED, null, at);
        new DecisionStore(ds).recordRouting(messageId, PATIENT, List.of(new ServiceOutcome(service(serviceId),
                outcome, "CODE", "reason", null, List.of())), at, record::write);
    }

    private Exchange delivery(CamelContext camel, String name, String serviceId) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(MessageHeaders.MESSAGE_ID, id(name));
        e.setProperty("ilinksServiceId", serviceId);
        return e;
    }

    private ServiceState state(MessageHistory history, String name) {
        return history.show(id(name)).orElseThrow().services().get(0);
    }

    private byte[] rawContent(DataSource ds, String name) throws Exception {
        String messageId = id(name);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT content FROM message_record WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private Path key(String name, String hex) throws Exception {
        Path file = tmp.resolve(name + ".key");
        Files.writeString(file, hex + "\n");
        return file;
    }

    static ServiceDefinition service(String id) {
        return new ServiceDefinition(id, id, Path.of(id + ".yaml"),
                new ServiceDefinition.Subscription(List.of(ServiceDefinition.MessageTypePattern.parse("*")), List.of()),
                new ServiceDefinition.QueueEndpoint("trust." + id), new ServiceDefinition.DeliveryPolicy(1, 1, 0, 1, 0,
                        ServiceDefinition.WhenParked.CONTINUE),
                new ServiceDefinition.Governance(ServiceConsentModel.OPT_OUT, Set.of(), false,
                        ServiceDefinition.UnverifiedNhsNumber.SEND, Set.of()));
    }

    /** A clock a test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
