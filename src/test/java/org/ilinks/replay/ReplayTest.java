package org.ilinks.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.ilinks.admin.AdminUser;
import org.ilinks.admin.PasswordHash;
import org.ilinks.admin.Role;
import org.ilinks.admin.UserStore;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.bench.SyntheticMessages;
import org.ilinks.governance.consent.ConsentChoice;
import org.ilinks.governance.consent.ConsentDecider;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.governance.consent.ConsentScope;
import org.ilinks.governance.consent.DirectiveSource;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.AdminClient;
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
 * Replay through the admin API, against a real engine, broker, database and MLLP receiver: a parked message replayed
 * is delivered; a patient who dissented since is respected and the reason shown; an edit is replayed while the
 * original is kept and the diff recorded; a delivered message needs force; a held message is released; a bulk replay
 * by filter is paced, stops and resumes, and keeps each patient's order. Each test uses its own run name (MSH-10) and
 * patients; the receiver rejects (AR) a message until the test says it accepts it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayTest {

    private static final String PASSWORD = "replay-password-1";
    private static final String PARKED = "ilinks.service.ward.parked";

    private final MllpReceiver receiver = new MllpReceiver("127.0.0.1", 0);
    /** Control ids (MSH-10) the receiver rejects with AR for now. */
    private final Set<String> rejecting = ConcurrentHashMap.newKeySet();
    private TestEngine engine;
    private AdminClient client;
    private String support;
    private String supportWithBody;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        receiver.start();
        receiver.respondWith(payload -> rejecting.contains(SequencedMessages.controlIdOf(payload)) ? "AR" : "AA");
        engine = new TestEngine(root).mllpService("ward", receiver.port(), "ADT^A08")
                .service("checker.yaml", "id: checker\ndescription: holds unverified NHS numbers\nsubscribe:\n"
                        + "  messageTypes: [ADT^A04]\ngovernance:\n  consent: opt-out\n  unverifiedNhsNumber: hold\n"
                        + "  protectedRecords: receive\nendpoint:\n  folder:\n    path: out/checker\n")
                .start();
        UserStore users = new UserStore(engine.engine().dataSource());
        users.create(new AdminUser("sam", PasswordHash.of(PASSWORD), Set.of(Role.SUPPORT), false, false, Instant.now()));
        users.create(new AdminUser("bea", PasswordHash.of(PASSWORD), Set.of(Role.SUPPORT, Role.BODY), false, false,
                Instant.now()));
        client = new AdminClient(engine);
        support = client.login("sam", PASSWORD);
        supportWithBody = client.login("bea", PASSWORD);
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.stop();
        }
        receiver.stop();
    }

    @Test
    void aParkedMessageReplayedIsDeliveredAndTheReplayIsAudited() throws Exception {
        String id = parked("PARK", 1, 1);
        String nhs = SyntheticMessages.nhsNumber(1);
        rejecting.clear();

        JsonNode job = replay("{\"ids\":[\"" + id + "\"],\"reason\":\"INC-101 ward system fixed\"}", support);
        assertThat(job.get("requestedBy").asText()).isEqualTo("sam");
        JsonNode done = finished(job.get("jobId").asText());
        assertThat(done.get("items")).singleElement().satisfies(item -> {
            assertThat(item.get("service").asText()).isEqualTo("ward");
            assertThat(item.get("outcome").asText()).isEqualTo("QUEUED");
        });
        awaitStatus(id, "DELIVERED");
        assertThat(controlIdsReceived()).filteredOn("PARK-P1-S1"::equals).as("the AR'd attempt, then the replay")
                .hasSize(2);
        assertThat(BrokerQueues.messageCount(engine.engine().connectionFactory(), PARKED))
                .as("the parked copy was taken off the parked queue").isZero();

        await("the replay's events in the audit trail").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<AuditEvent> trail = auditStore().trail(id);
            assertThat(trail).filteredOn(e -> e.type() == AuditEventType.REPLAYED).singleElement().satisfies(e -> {
                assertThat(e.actorId()).isEqualTo("sam");
                assertThat(e.outcome()).isEqualTo(AuditEvent.SUCCESS);
                assertThat(e.nhsNumber()).isEqualTo(nhs);
                assertThat(e.detail()).contains("queued again for service ward",
                        "reason: INC-101 ward system fixed", done.get("jobId").asText());
                assertThat(trail).as("the replayed copy delivered after the replay")
                        .anySatisfy(d -> assertThat(d.type() == AuditEventType.DELIVERED
                                && d.recordedAt().isAfter(e.recordedAt())).isTrue());
            });
            assertThat(trail).filteredOn(e -> e.type() == AuditEventType.PERSON_ACTION).anySatisfy(e ->
                    assertThat(e.detail()).contains("replay " + done.get("jobId").asText() + " started"));
        });
    }

    @Test
    void aReplayAfterTheyDissentedWithholdsTheMessageAndSaysWhy() throws Exception {
        String id = parked("DISSENT", 2, 1);
        String nhs = SyntheticMessages.nhsNumber(2);
        new ConsentRegistry(engine.engine().dataSource()).record(ConsentDirective.builder(nhs, ConsentScope.ALL,
                        null, ConsentChoice.DISSENT, LocalDate.now(ConsentDecider.ZONE))
                .source(DirectiveSource.PRACTICE, "N81013").recordedBy("test").recordedAt(Instant.now()).build());
        rejecting.clear();

        JsonNode done = finished(replay("{\"ids\":[\"" + id + "\"],\"reason\":\"INC-102\"}", support)
                .get("jobId").asText());
        JsonNode item = done.get("items").get(0);
        assertThat(item.get("outcome").asText()).isEqualTo("WITHHELD");
        assertThat(item.get("detail").asText()).contains("DISSENT_ALL", "dissent from all sharing").doesNotContain(nhs);
        assertThat(done.get("counts").get("withheld").asInt()).isEqualTo(1);
        JsonNode shown = AdminClient.json(client.get("/api/messages/" + id, support));
        assertThat(shown.get("services").get(0).get("status").asText()).isEqualTo("WITHHELD");
        assertThat(shown.get("services").get(0).get("reasonCode").asText()).isEqualTo("DISSENT_ALL");
        assertThat(BrokerQueues.messageCount(engine.engine().connectionFactory(), PARKED)).isZero();
        Thread.sleep(500); // nothing may arrive: give a wrong delivery the time to show itself
        assertThat(controlIdsReceived()).filteredOn("DISSENT-P2-S1"::equals).as("only the first, rejected attempt")
                .hasSize(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(auditStore().trail(id))
                .filteredOn(e -> e.type() == AuditEventType.REPLAYED).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("withheld today", "DISSENT_ALL")));
    }

    @Test
    void anEditIsReplayedWhileTheOriginalIsKeptAndTheDiffRecorded() throws Exception {
        String id = parked("EDIT", 3, 1);
        String original = new String(SequencedMessages.message("EDIT", 3, 1), StandardCharsets.US_ASCII);
        String edited = original.replace("PV1|1|I|WARD1", "PV1|1|I|WARD9");
        rejecting.clear();
        String body = "{\"service\":\"ward\",\"reason\":\"INC-103 wrong ward\",\"purpose\":\"INC-103\",\"content\":"
                + AdminClient.quote(edited) + "}";

        assertThat(client.post("/api/messages/" + id + "/edit-and-replay", body, support).statusCode())
                .as("support without the body permission may not edit").isEqualTo(403);
        HttpResponse<String> started = client.post("/api/messages/" + id + "/edit-and-replay", body, supportWithBody);
        assertThat(started.statusCode()).isEqualTo(202);
        JsonNode done = finished(AdminClient.json(started).get("jobId").asText());
        assertThat(done.get("items").get(0).get("outcome").asText()).isEqualTo("QUEUED");
        assertThat(done.get("items").get(0).get("detail").asText()).contains("the edited message, edit ");
        awaitStatus(id, "DELIVERED");
        byte[] last = receiver.received().get(receiver.received().size() - 1);
        assertThat(SequencedMessages.controlIdOf(last)).isEqualTo("EDIT-P3-S1");
        assertThat(new String(last, StandardCharsets.US_ASCII)).as("the edit is what was delivered")
                .contains("PV1|1|I|WARD9").doesNotContain("WARD1");

        assertThat(client.get("/api/messages/" + id + "/content?purpose=INC-103", supportWithBody).body())
                .as("the original is kept").contains("PV1|1|I|WARD1");
        JsonNode edits = AdminClient.json(client.get("/api/messages/" + id + "/edits?purpose=INC-103",
                supportWithBody)).get("edits");
        assertThat(edits).singleElement().satisfies(e -> {
            assertThat(e.get("editedBy").asText()).isEqualTo("bea");
            assertThat(e.get("reason").asText()).isEqualTo("INC-103 wrong ward");
            assertThat(e.get("diff").asText()).contains("- PV1|1|I|WARD1", "+ PV1|1|I|WARD9", "  MSH|");
        });
        assertThat(client.post("/api/messages/" + id + "/edit-and-replay", body, supportWithBody).statusCode())
                .as("a message no longer parked cannot be edited").isEqualTo(409);
    }

    @Test
    void aDeliveredMessageIsSentAgainOnlyWithForce() throws Exception {
        byte[] message = SequencedMessages.message("DONE", 4, 1);
        send(message);
        String id = messageIdOf("DONE-P4-S1");
        awaitStatus(id, "DELIVERED");

        JsonNode refused = finished(replay("{\"ids\":[\"" + id + "\"],\"reason\":\"resend\"}", support)
                .get("jobId").asText());
        assertThat(refused.get("items").get(0).get("outcome").asText()).isEqualTo("REFUSED");
        assertThat(refused.get("items").get(0).get("detail").asText()).contains("already delivered", "needs force");
        assertThat(controlIdsReceived()).filteredOn("DONE-P4-S1"::equals).hasSize(1);

        JsonNode forced = finished(replay("{\"ids\":[\"" + id + "\"],\"reason\":\"resend\",\"force\":true}", support)
                .get("jobId").asText());
        assertThat(forced.get("items").get(0).get("outcome").asText()).isEqualTo("QUEUED");
        assertThat(forced.get("items").get(0).get("detail").asText()).contains("sent again with force");
        await().atMost(Duration.ofSeconds(15)).until(() ->
                controlIdsReceived().stream().filter("DONE-P4-S1"::equals).count() == 2);
        awaitStatus(id, "DELIVERED");
    }

    @Test
    void replayingAHeldMessageReleasesIt() throws Exception {
        String nhs = SyntheticMessages.nhsNumber(5);
        String unverified = "MSH|^~\\&|H4TEST|H4FAC|ILINKS|NMERSEY|20261126120000||ADT^A04^ADT_A01|HELD-1|P|2.4\r"
                + "EVN|A04|20261126120000\r"
                + "PID|1||" + nhs + "^^^NHS^NH||TEST^PATIENT||19700101|U" + "|".repeat(24) + "02\r"
                + "PV1|1|O\r";
        send(unverified.getBytes(StandardCharsets.US_ASCII));
        String id = messageIdOf("HELD-1");
        awaitStatus(id, "HELD");

        JsonNode done = finished(replay("{\"ids\":[\"" + id + "\"],\"service\":\"checker\",\"reason\":\"traced by "
                + "hand\"}", support).get("jobId").asText());
        assertThat(done.get("items").get(0).get("outcome").asText()).isEqualTo("QUEUED");
        awaitStatus(id, "DELIVERED");
        Path folder = engine.folderOut("checker");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.toList()).hasSize(1);
        }
        assertThat(BrokerQueues.messageCount(engine.engine().connectionFactory(), "ilinks.service.checker.held"))
                .as("the held copy was taken off the held queue").isZero();
    }

    @Test
    void aBulkReplayByFilterIsPacedCanBeStoppedAndResumedAndKeepsEachPatientsOrder() throws Exception {
        Instant from = Instant.now().minusMillis(5);
        List<String> ids = new ArrayList<>();
        for (int s = 1; s <= 3; s++) {
            for (int p = 6; p <= 7; p++) {
                ids.add(parked("BULK", p, s));
            }
        }
        rejecting.clear();
        receiver.clearReceived();

        JsonNode job = replay("{\"filter\":{\"service\":\"ward\",\"status\":\"parked\",\"from\":\"" + from
                + "\"},\"reason\":\"INC-106 after outage\",\"ratePerSecond\":2}", support);
        String jobId = job.get("jobId").asText();
        assertThat(job.get("total").asInt()).isEqualTo(6);
        assertThat(job.get("service").asText()).as("a filter on one service replays to it").isEqualTo("ward");
        await().atMost(Duration.ofSeconds(10)).until(() -> jobOf(jobId).get("done").asInt() >= 1);
        JsonNode stopped = AdminClient.json(client.post("/api/replay/" + jobId + "/stop", null, support));
        assertThat(stopped.get("state").asText()).isEqualTo("STOPPED");
        Thread.sleep(1500); // a stopped job sends nothing more: long enough for two more at its pace
        int doneWhenStopped = jobOf(jobId).get("done").asInt();
        assertThat(doneWhenStopped).as("paced: not all at once").isLessThan(6);
        Thread.sleep(1000);
        assertThat(jobOf(jobId).get("done").asInt()).as("stopped means stopped").isEqualTo(doneWhenStopped);

        JsonNode resumed = AdminClient.json(client.post("/api/replay/" + jobId + "/resume", null, support));
        assertThat(resumed.get("state").asText()).isEqualTo("RUNNING");
        JsonNode done = finished(jobId);
        assertThat(done.get("counts").get("queued").asInt()).isEqualTo(6);
        for (String id : ids) {
            awaitStatus(id, "DELIVERED");
        }
        Map<String, List<Integer>> order = SequencedMessages.sequencesByPatient(controlIdsReceived().stream()
                .filter(c -> c.startsWith("BULK")).toList());
        assertThat(order).containsEntry("BULK-P6", List.of(1, 2, 3)).containsEntry("BULK-P7", List.of(1, 2, 3));
        JsonNode listed = AdminClient.json(client.get("/api/replay", support));
        assertThat(listed.get("jobs").get(0).get("jobId").asText()).as("newest first").isEqualTo(jobId);
    }

    @Test
    void requestsItCannotRunAreRefusedWithAClearAnswer() {
        assertThat(client.post("/api/replay", "{\"ids\":[\"01M8CB1X73ZZ3A504B03F9NGFB\"]}", support).statusCode())
                .as("no reason").isEqualTo(400);
        HttpResponse<String> badId = client.post("/api/replay", "{\"ids\":[\"9434765919\"],\"reason\":\"x\"}",
                support);
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).doesNotContain("9434765919");
        assertThat(client.post("/api/replay", "{\"ids\":[\"01M8CB1X73ZZ3A504B03F9NGFB\"],\"reason\":\"x\","
                + "\"service\":\"nowhere\"}", support).statusCode()).as("unknown service").isEqualTo(400);
        assertThat(client.post("/api/replay", "{\"reason\":\"x\",\"filter\":{\"colour\":\"red\"}}", support)
                .statusCode()).isEqualTo(400);
        assertThat(client.post("/api/replay", "{\"reason\":\"x\",\"filter\":{\"type\":\"ZZZ^Z99\"}}", support)
                .statusCode()).as("selects nothing").isEqualTo(400);
        assertThat(client.post("/api/replay", "{\"ids\":[\"01M8CB1X73ZZ3A504B03F9NGFB\"],\"reason\":\"x\","
                + "\"ratePerSecond\":0}", support).statusCode()).isEqualTo(400);
        assertThat(client.get("/api/replay/01M8CB1X73ZZ3A504B03F9NGFB", support).statusCode()).isEqualTo(404);
        JsonNode unknown = finished(AdminClient.json(client.post("/api/replay",
                "{\"ids\":[\"01M8CB1X73ZZ3A504B03F9NGFB\"],\"reason\":\"x\"}", support)).get("jobId").asText());
        assertThat(unknown.get("items").get(0).get("outcome").asText()).isEqualTo("REFUSED");
        assertThat(unknown.get("items").get(0).get("detail").asText()).isEqualTo("not in the message history");
    }

    // --- helpers ---

    /** Sends a message the receiver rejects, and waits until the ward's copy is parked; returns its message id. */
    private String parked(String run, int patient, int sequence) throws Exception {
        String control = SequencedMessages.controlId(run, patient, sequence);
        rejecting.add(control);
        send(SequencedMessages.message(run, patient, sequence));
        String id = messageIdOf(control);
        awaitStatus(id, "PARKED");
        return id;
    }

    private void send(byte[] message) throws Exception {
        try (IntakeSender sender = new IntakeSender(engine.port(), 10_000)) {
            assertThat(sender.send(message)).isEqualTo("AA");
        }
    }

    private String messageIdOf(String controlId) {
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            for (JsonNode m : AdminClient.json(client.get("/api/messages?size=500", support)).get("messages")) {
                if (m.get("controlId").asText().equals(controlId)) {
                    id[0] = m.get("messageId").asText();
                    return true;
                }
            }
            return false;
        });
        return id[0];
    }

    private void awaitStatus(String messageId, String status) {
        await(messageId + " " + status).atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode services = AdminClient.json(client.get("/api/messages/" + messageId, support)).get("services");
            return services.size() > 0 && services.get(0).get("status").asText().equals(status);
        });
    }

    private JsonNode replay(String body, String credential) {
        HttpResponse<String> r = client.post("/api/replay", body, credential);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return AdminClient.json(r);
    }

    private JsonNode jobOf(String jobId) {
        return AdminClient.json(client.get("/api/replay/" + jobId, support));
    }

    private JsonNode finished(String jobId) {
        await("replay " + jobId).atMost(Duration.ofSeconds(20)).until(() -> jobOf(jobId).get("state").asText()
                .equals("DONE"));
        return jobOf(jobId);
    }

    private List<String> controlIdsReceived() {
        return receiver.received().stream().map(SequencedMessages::controlIdOf).toList();
    }

    private AuditStore auditStore() {
        return new AuditStore(engine.engine().dataSource(), new AuditHeadFile(engine.settings().auditHeadFile()));
    }
}
