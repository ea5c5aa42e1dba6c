package org.ilinks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ilinks.admin.AdminUser;
import org.ilinks.admin.PasswordHash;
import org.ilinks.admin.Role;
import org.ilinks.admin.UserStore;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.AdminClient;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ilinks replay} through a running engine's admin API: a message the receiving system rejected (AR, so parked)
 * is replayed once the system is fixed and is delivered; a delivered copy is not sent again without --force; usage
 * errors and refusals get one line and their exit status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayCommandTest {

    private static final String PASSWORD = "replay-cli-password-1";

    private final MllpReceiver receiver = new MllpReceiver("127.0.0.1", 0);
    private final AtomicBoolean rejecting = new AtomicBoolean(true);
    private TestEngine engine;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        receiver.start();
        receiver.respondWith(payload -> rejecting.get()
                && SequencedMessages.controlIdOf(payload).startsWith("REJECT") ? "AR" : "AA");
        engine = new TestEngine(root).mllpService("ward", receiver.port(), "ADT^A08").start();
        UserStore users = new UserStore(engine.engine().dataSource());
        users.create(new AdminUser("sue", PasswordHash.of(PASSWORD), Set.of(Role.SUPPORT), false, false,
                Instant.now()));
        users.create(new AdminUser("ann", PasswordHash.of(PASSWORD), Set.of(Role.ANALYST), false, false,
                Instant.now()));
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.stop();
        }
        receiver.stop();
    }

    @Test
    void aParkedMessageReplayedOnceTheServiceIsFixedIsDelivered() throws Exception {
        send(SequencedMessages.message("REJECT", 3, 1));
        String parked = awaitOne("parked", "REJECT-P3-S1");
        rejecting.set(false);

        MessagesCommandTest.Result replay = run("sue", "replay", "send", "--id", parked, "--reason",
                "INC-9 the ward system is fixed", "--wait");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).contains(": DONE, 1 of 1 done (queued 1, withheld 0, held 0, refused 0, failed 0)")
                .contains("requested by sue: INC-9 the ward system is fixed");
        assertThat(rows(replay.out())).anyMatch(l -> l.startsWith(parked + " | ward | QUEUED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> controlIdsReceived().stream()
                .filter("REJECT-P3-S1"::equals).count() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> status(parked).equals("DELIVERED"));

        String first = replay.out().lines().findFirst().orElseThrow();
        String job = first.substring("Replay ".length(), first.indexOf(':'));
        MessagesCommandTest.Result status = run("sue", "replay", "status", job);
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("Replay " + job + ": DONE").contains(parked);
        MessagesCommandTest.Result list = run("sue", "replay", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains(job).contains("INC-9 the ward system is fixed").doesNotContain(parked);
    }

    @Test
    void aDeliveredCopyIsNotSentAgainWithoutForce() throws Exception {
        send(SequencedMessages.message("KEEP", 4, 1));
        String delivered = awaitOne("delivered", "KEEP-P4-S1");
        MessagesCommandTest.Result again = run("sue", "replay", "send", "--id", delivered, "--to-service", "ward",
                "--reason", "INC-10 resend", "--wait");
        assertThat(again.exitCode()).as("refused items make --wait exit 1").isEqualTo(1);
        assertThat(again.out()).contains("refused 1");
        assertThat(rows(again.out())).anyMatch(l -> l.startsWith(delivered + " | ward | REFUSED"));
    }

    @Test
    void usageErrorsAndRefusalsGetOneLineAndTheirExitStatus() {
        MessagesCommandTest.Result nothing = run("sue", "replay", "send", "--reason", "x");
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("replay send: name the messages: --id ID..., or filter options");
        MessagesCommandTest.Result both = run("sue", "replay", "send", "--id", "01X", "--status", "parked",
                "--reason", "x");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
        MessagesCommandTest.Result noReason = run("sue", "replay", "send", "--id", "01X");
        assertThat(noReason.exitCode()).isEqualTo(2);
        assertThat(noReason.err()).contains("Missing required option: '--reason=TEXT'");

        MessagesCommandTest.Result badFilter = run("sue", "replay", "send", "--status", "lost", "--reason", "x");
        assertThat(badFilter.exitCode()).as("the API's 400 is a usage error").isEqualTo(2);
        assertThat(badFilter.err()).contains("replay send: unknown status").doesNotContain("LOST");

        MessagesCommandTest.Result analyst = run("ann", "replay", "send", "--id", "01X", "--reason", "x");
        assertThat(analyst.exitCode()).isEqualTo(1);
        assertThat(analyst.err()).contains("replay send: not allowed (403): none of your roles allows this");

        MessagesCommandTest.Result unknown = run("sue", "replay", "status", "R0NOSUCHJOB");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("replay status: no replay R0NOSUCHJOB");
    }

    private void send(byte[] message) throws Exception {
        try (MllpClient mllp = new MllpClient("127.0.0.1", engine.port(), 2000, 10000)) {
            assertThat(AckSummary.parse(mllp.send(message)).code()).isEqualTo("AA");
        }
    }

    /** Waits for the one message with this control id to reach this status for ward; returns its id. */
    private String awaitOne(String status, String controlId) {
        AdminClient client = new AdminClient(engine);
        String session = client.login("sue", PASSWORD);
        List<String> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            found.clear();
            AdminClient.json(client.get("/api/messages?service=ward&status=" + status, session)).get("messages")
                    .forEach(m -> {
                        if (m.get("controlId").asText().equals(controlId)) {
                            found.add(m.get("messageId").asText());
                        }
                    });
            return found.size() == 1;
        });
        return found.get(0);
    }

    private String status(String messageId) {
        AdminClient client = new AdminClient(engine);
        return AdminClient.json(client.get("/api/messages/" + messageId, client.login("sue", PASSWORD)))
                .get("services").get(0).get("status").asText();
    }

    private List<String> controlIdsReceived() {
        return receiver.received().stream().map(SequencedMessages::controlIdOf).toList();
    }

    /** The lines of the output with column gaps as " | ". */
    private static List<String> rows(String out) {
        return out.lines().map(l -> l.strip().replaceAll(" {2,}", " | ")).toList();
    }

    private MessagesCommandTest.Result run(String user, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", engine.adminUrl(), "--user", user));
        return MessagesCommandTest.run(Map.of(ApiConnection.PASSWORD_VARIABLE, PASSWORD), all.toArray(String[]::new));
    }
}
