package org.ilinks.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * A replay under way when the engine stops is not lost and does not run on unattended: after the restart it is
 * stopped, says why, and a person resumes it from the first message it had not replayed.
 */
class ReplayAcrossRestartTest {

    private static final String PASSWORD = "restart-password-1";

    @TempDir
    Path root;

    @Test
    void aReplayRunningAtShutdownIsStoppedAfterTheRestartAndResumesWhereItWas() throws Exception {
        Set<String> rejecting = ConcurrentHashMap.newKeySet();
        try (MllpReceiver receiver = new MllpReceiver("127.0.0.1", 0)) {
            receiver.start();
            receiver.respondWith(m -> rejecting.contains(SequencedMessages.controlIdOf(m)) ? "AR" : "AA");
            TestEngine first = new TestEngine(root).mllpService("ward", receiver.port(), "ADT^A08").start();
            String jobId;
            try {
                new UserStore(first.engine().dataSource()).create(new AdminUser("sam", PasswordHash.of(PASSWORD),
                        Set.of(Role.SUPPORT), false, false, Instant.now()));
                AdminClient client = new AdminClient(first);
                String support = client.login("sam", PASSWORD);
                for (int p = 1; p <= 6; p++) {
                    rejecting.add(SequencedMessages.controlId("RESTART", p, 1));
                    try (IntakeSender sender = new IntakeSender(first.port(), 10_000)) {
                        assertThat(sender.send(SequencedMessages.message("RESTART", p, 1))).isEqualTo("AA");
                    }
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> AdminClient.json(client.get(
                        "/api/messages?service=ward&status=parked", support)).get("messages").size() == 6);
                rejecting.clear();
                jobId = AdminClient.json(client.post("/api/replay", "{\"filter\":{\"service\":\"ward\","
                        + "\"status\":\"parked\"},\"reason\":\"INC-7\",\"ratePerSecond\":1}", support))
                        .get("jobId").asText();
                await().atMost(Duration.ofSeconds(10)).until(() -> AdminClient.json(client.get("/api/replay/"
                        + jobId, support)).get("done").asInt() >= 1);
            } finally {
                first.stop();
            }

            TestEngine second = first.start(); // the same data, config and ports
            try {
                AdminClient client = new AdminClient(second);
                String support = client.login("sam", PASSWORD);
                JsonNode after = AdminClient.json(client.get("/api/replay/" + jobId, support));
                assertThat(after.get("state").asText()).isEqualTo("STOPPED");
                assertThat(after.get("stateReason").asText()).contains("engine stopped", "resume");
                int doneBefore = after.get("done").asInt();
                assertThat(doneBefore).isBetween(1, 5);
                Thread.sleep(1500); // at its pace of one a second, a job still running would have moved on
                assertThat(AdminClient.json(client.get("/api/replay/" + jobId, support)).get("done").asInt())
                        .as("nothing runs until a person resumes it").isEqualTo(doneBefore);

                client.post("/api/replay/" + jobId + "/resume", null, support);
                await().atMost(Duration.ofSeconds(20)).until(() -> AdminClient.json(client.get("/api/replay/"
                        + jobId, support)).get("state").asText().equals("DONE"));
                JsonNode done = AdminClient.json(client.get("/api/replay/" + jobId, support));
                assertThat(done.get("counts").get("queued").asInt()).as("each message replayed once").isEqualTo(6);
                await().atMost(Duration.ofSeconds(20)).until(() -> AdminClient.json(client.get(
                        "/api/messages?service=ward&status=delivered", support)).get("messages").size() == 6);
                assertThat(receiver.received().stream().map(SequencedMessages::controlIdOf)
                        .filter(c -> c.startsWith("RESTART")).count()).as("6 rejected attempts, 6 replays")
                        .isEqualTo(12);
            } finally {
                second.stop();
            }
        }
    }
}
