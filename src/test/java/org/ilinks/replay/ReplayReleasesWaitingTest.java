package org.ilinks.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ilinks.admin.AdminUser;
import org.ilinks.admin.PasswordHash;
import org.ilinks.admin.Role;
import org.ilinks.admin.UserStore;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.AdminClient;
import org.ilinks.support.IntakeSender;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code whenParked: hold-patient}, replaying the parked message a patient's later messages wait behind sends
 * them too, right after it and in the order they arrived, and lifts the hold, so the patient's next message flows.
 */
class ReplayReleasesWaitingTest {

    private static final String PASSWORD = "waiting-password-1";

    @TempDir
    Path root;

    @Test
    void replayingTheBlockerSendsTheMessagesWaitingBehindItInOrder() throws Exception {
        Set<String> rejecting = ConcurrentHashMap.newKeySet();
        try (MllpReceiver ward = new MllpReceiver("127.0.0.1", 0)) {
            ward.start();
            ward.respondWith(m -> rejecting.contains(SequencedMessages.controlIdOf(m)) ? "AR" : "AA");
            try (TestEngine engine = new TestEngine(root).service("ward.yaml", "id: ward\ndescription: holds\n"
                    + "subscribe:\n  messageTypes: [ADT^A08]\n" + TestEngine.OPEN_GOVERNANCE + "endpoint:\n  mllp:\n"
                    + "    host: 127.0.0.1\n    port: " + ward.port() + "\n    connectTimeoutMs: 1000\n"
                    + "    ackTimeoutMs: 3000\ndelivery:\n  maxAttempts: 3\n  whenParked: hold-patient\n").start()) {
                new UserStore(engine.engine().dataSource()).create(new AdminUser("sam", PasswordHash.of(PASSWORD),
                        Set.of(Role.SUPPORT), false, false, Instant.now()));
                AdminClient client = new AdminClient(engine);
                String support = client.login("sam", PASSWORD);

                rejecting.add(SequencedMessages.controlId("WAIT", 1, 1));
                for (int s = 1; s <= 3; s++) {
                    send(engine, SequencedMessages.message("WAIT", 1, s));
                }
                await("the first rejected, the other two parked behind it").atMost(Duration.ofSeconds(20))
                        .until(() -> parked(client, support).size() == 3);
                List<String> parked = parked(client, support);
                String blocker = parked.get(0);
                rejecting.clear();

                JsonNode job = AdminClient.json(client.post("/api/replay", "{\"ids\":[\"" + blocker + "\"],"
                        + "\"reason\":\"INC-9\"}", support));
                String jobId = job.get("jobId").asText();
                await().atMost(Duration.ofSeconds(20)).until(() -> AdminClient.json(client.get("/api/replay/"
                        + jobId, support)).get("state").asText().equals("DONE"));
                JsonNode done = AdminClient.json(client.get("/api/replay/" + jobId, support));
                List<String> replayed = new ArrayList<>();
                done.get("items").forEach(i -> {
                    assertThat(i.get("outcome").asText()).isEqualTo("QUEUED");
                    replayed.add(i.get("messageId").asText());
                });
                assertThat(replayed).as("the blocker, then those behind it, oldest first").isEqualTo(parked);

                send(engine, SequencedMessages.message("WAIT", 1, 4));
                await("all four delivered").atMost(Duration.ofSeconds(20)).until(() -> ward.received().stream()
                        .map(SequencedMessages::controlIdOf).filter(c -> c.startsWith("WAIT")).count() == 5);
                List<String> arrived = ward.received().stream().map(SequencedMessages::controlIdOf)
                        .filter(c -> c.startsWith("WAIT")).toList();
                assertThat(arrived).as("the rejected attempt, then the patient's messages in order")
                        .containsExactly("WAIT-P1-S1", "WAIT-P1-S1", "WAIT-P1-S2", "WAIT-P1-S3", "WAIT-P1-S4");
            }
        }
    }

    private static List<String> parked(AdminClient client, String support) {
        List<String> ids = new ArrayList<>();
        AdminClient.json(client.get("/api/messages?service=ward&status=parked", support)).get("messages")
                .forEach(m -> ids.add(m.get("messageId").asText()));
        java.util.Collections.reverse(ids); // the history lists newest first
        return ids;
    }

    private static void send(TestEngine engine, byte[] message) throws Exception {
        try (IntakeSender sender = new IntakeSender(engine.port(), 10_000)) {
            assertThat(sender.send(message)).isEqualTo("AA");
        }
    }
}
