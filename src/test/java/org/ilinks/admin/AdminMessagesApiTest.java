package org.ilinks.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.support.AdminClient;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The message history over the API: support finds a message and what became of it for each service without seeing
 * patient data; its content needs the body permission and a purpose, and each view is in the patient's trail.
 */
class AdminMessagesApiTest {

    private static final String NHS = "9434765919";
    private static final String PASSWORD = "messages-password-1";

    @TempDir
    Path tmp;

    @Test
    void supportFindsMessagesAndOnlyABodyViewerWithAPurposeSeesTheContent() throws Exception {
        try (TestEngine te = new TestEngine(tmp).folderService("ward", "ADT^A01")) {
            te.start();
            String message = String.join("\r",
                    "MSH|^~\\&|PAS|RQ6|ILINKS|NMERSEY|20261126101500||ADT^A01^ADT_A01|MSG-API-1|P|2.4",
                    "EVN|A01|20261126101500",
                    "PID|1||" + NHS + "^^^NHS^NH||HISTORY^PATIENT||19700101|F",
                    "PV1|1|I|WARD1") + "\r";
            try (MllpClient mllp = new MllpClient("127.0.0.1", te.port(), 2000, 10000)) {
                assertThat(AckSummary.parse(mllp.send(message.getBytes(StandardCharsets.UTF_8))).code())
                        .isEqualTo("AA");
            }
            UserStore users = new UserStore(te.engine().dataSource());
            users.create(new AdminUser("sam", PasswordHash.of(PASSWORD), Set.of(Role.SUPPORT), false, false,
                    Instant.now()));
            users.create(new AdminUser("bea", PasswordHash.of(PASSWORD), Set.of(Role.SUPPORT, Role.BODY), false,
                    false, Instant.now()));
            AdminClient client = new AdminClient(te);
            String support = client.login("sam", PASSWORD);
            String viewer = client.login("bea", PASSWORD);

            await().atMost(Duration.ofSeconds(20)).until(() -> AdminClient.json(
                    client.get("/api/messages?service=ward&status=delivered", support)).get("messages").size() == 1);
            JsonNode listed = AdminClient.json(client.get("/api/messages?service=ward&status=delivered", support));
            JsonNode first = listed.get("messages").get(0);
            String messageId = first.get("messageId").asText();
            assertThat(first.get("type").asText()).isEqualTo("ADT^A01");
            assertThat(first.get("controlId").asText()).isEqualTo("MSG-API-1");
            assertThat(listed.toString()).as("metadata only").doesNotContain(NHS).doesNotContain("HISTORY");

            JsonNode shown = AdminClient.json(client.get("/api/messages/" + messageId, support));
            assertThat(shown.get("services").get(0).get("service").asText()).isEqualTo("ward");
            assertThat(shown.get("services").get(0).get("status").asText()).isEqualTo("DELIVERED");
            assertThat(shown.toString()).doesNotContain(NHS);
            assertThat(shown.get("version").asText()).isEqualTo("2.4");
            assertThat(shown.get("unresolved").asBoolean()).isFalse();
            assertThat(shown.get("contentSize").asInt()).isEqualTo(message.length());
            assertThat(shown.get("contentRemovedAt").isNull()).isTrue();

            assertThat(client.get("/api/messages/" + messageId + "/content?purpose=INC-7", support).statusCode())
                    .as("support alone may not see content").isEqualTo(403);
            assertThat(client.get("/api/messages/" + messageId + "/content", viewer).statusCode())
                    .as("no purpose").isEqualTo(400);
            var content = client.get("/api/messages/" + messageId + "/content?purpose=INC-7", viewer);
            assertThat(content.statusCode()).isEqualTo(200);
            assertThat(content.body()).contains("PID|1||" + NHS).contains("\nPV1|1|I|WARD1");

            var badStatus = client.get("/api/messages?status=" + NHS, support);
            assertThat(badStatus.statusCode()).isEqualTo(400);
            assertThat(badStatus.body()).as("the value sent is not repeated").contains("unknown status")
                    .doesNotContain(NHS);
            assertThat(client.get("/api/messages?size=0", support).statusCode()).isEqualTo(400);
            assertThat(client.get("/api/messages?from=yesterday", support).statusCode()).isEqualTo(400);
            assertThat(client.get("/api/messages/01NOSUCHMESSAGE00000000000", support).statusCode()).isEqualTo(404);

            AuditStore store = new AuditStore(te.engine().dataSource(),
                    new AuditHeadFile(te.settings().auditHeadFile()));
            List<AuditEvent> viewed = store.patient(NHS, null, null).stream()
                    .filter(e -> e.type() == AuditEventType.PERSON_ACTION).toList();
            assertThat(viewed).as("the content view, in the patient's trail, with who and why").singleElement()
                    .satisfies(e -> {
                        assertThat(e.actorId()).isEqualTo("bea");
                        assertThat(e.detail()).isEqualTo("messages content; purpose: INC-7");
                        assertThat(e.messageId()).isEqualTo(messageId);
                    });

            assertThat(client.get("/api/messages?purpose=INC-8&service=ward", support).statusCode()).isEqualTo(200);
            assertThat(client.get("/api/messages/" + messageId + "?purpose=INC-8", support).statusCode())
                    .isEqualTo(200);
            List<String> looks = new java.util.ArrayList<>();
            store.forEach(new AuditStore.Filter(null, null, AuditEventType.PERSON_ACTION, null, null, null),
                    e -> looks.add(e.event().actorId() + "|" + e.event().detail()));
            assertThat(looks).as("a purpose given for metadata is recorded with the look")
                    .contains("sam|messages list; purpose: INC-8", "sam|messages show; purpose: INC-8");
        }
    }
}
