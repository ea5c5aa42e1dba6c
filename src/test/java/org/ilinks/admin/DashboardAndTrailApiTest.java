package org.ilinks.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.AdminClient;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's two data endpoints against a real engine and a real MLLP receiver that rejects the first message
 * (AR: parked at once) and takes the second: the dashboard's counts, queues, last error and per-minute deliveries,
 * and a message's hop trail as support staff see it, without the patient and without who looked.
 */
class DashboardAndTrailApiTest {

    private static final String NHS = "9434765919";
    private static final String PASSWORD = "dashboard-password-1";

    @TempDir
    Path tmp;

    @Test
    void theDashboardCountsEachServiceAndSupportSeesTheHopsOfAParkedMessage() throws Exception {
        try (MllpReceiver receiver = new MllpReceiver("127.0.0.1", 0)) {
            receiver.start();
            AtomicInteger answered = new AtomicInteger();
            receiver.respondWith(payload -> answered.getAndIncrement() == 0 ? "AR" : "AA");
            try (TestEngine te = new TestEngine(tmp).mllpService("clinic", receiver.port(), "ADT^A01")) {
                te.start();
                try (MllpClient mllp = new MllpClient("127.0.0.1", te.port(), 2000, 10000)) {
                    for (int i = 1; i <= 2; i++) {
                        String message = String.join("\r",
                                "MSH|^~\\&|PAS|RQ6|ILINKS|NMERSEY|20261126101500||ADT^A01^ADT_A01|DASH-" + i + "|P|2.4",
                                "EVN|A01|20261126101500",
                                "PID|1||" + NHS + "^^^NHS^NH||DASHBOARD^PATIENT||19700101|F",
                                "PV1|1|I|WARD1") + "\r";
                        assertThat(AckSummary.parse(mllp.send(message.getBytes(StandardCharsets.UTF_8))).code())
                                .isEqualTo("AA");
                        // One at a time, so the first one sent is the one the receiver rejects.
                        int want = i;
                        await().atMost(Duration.ofSeconds(20)).until(() -> answered.get() >= want);
                    }
                }
                UserStore users = new UserStore(te.engine().dataSource());
                users.create(new AdminUser("sam", PasswordHash.of(PASSWORD), Set.of(Role.SUPPORT), false, false,
                        Instant.now()));
                users.create(new AdminUser("ada", PasswordHash.of(PASSWORD), Set.of(Role.ADMIN), false, false,
                        Instant.now()));
                AdminClient client = new AdminClient(te);
                String support = client.login("sam", PASSWORD);
                String admin = client.login("ada", PASSWORD);

                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    JsonNode c = clinic(AdminClient.json(client.get("/api/dashboard", admin)));
                    return c.get("delivered").asLong() == 1 && c.get("queue").get("parked").asLong() == 1;
                });
                JsonNode dashboard = AdminClient.json(client.get("/api/dashboard", admin));
                JsonNode clinic = clinic(dashboard);
                assertThat(dashboard.get("intake").get("received").asLong()).isEqualTo(2);
                assertThat(clinic.get("endpoint").asText()).isEqualTo("mllp");
                assertThat(clinic.get("routed").asLong()).isEqualTo(2);
                assertThat(clinic.get("parkedSinceStart").asLong()).isEqualTo(1);
                assertThat(clinic.get("failedAttempts").asLong()).as("an AR parks without a retry").isZero();
                assertThat(clinic.get("queue").get("ready").asLong()).isZero();
                assertThat(clinic.get("lastError").get("error").asText()).contains("ACK AR");
                List<Long> perMinute = new ArrayList<>();
                clinic.get("deliveredPerMinute").forEach(n -> perMinute.add(n.asLong()));
                assertThat(perMinute).hasSize(60);
                assertThat(perMinute.stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
                assertThat(dashboard.toString()).doesNotContain(NHS).doesNotContain("DASHBOARD");

                String parked = AdminClient.json(client.get("/api/messages?status=parked", support))
                        .get("messages").get(0).get("messageId").asText();
                assertThat(client.get("/api/messages/" + parked + "/trail", admin).statusCode())
                        .as("admin alone has no message metadata").isEqualTo(403);
                client.get("/api/messages/" + parked + "/trail", support);
                JsonNode trail = AdminClient.json(client.get("/api/messages/" + parked + "/trail", support));
                List<String> types = new ArrayList<>();
                trail.get("hops").forEach(h -> types.add(h.get("type").asText()));
                assertThat(types).contains("RECEIVED", "CONSENT_DECISION", "QUEUED", "PARKED")
                        .as("who looked (these very requests) is for ig, not in this trail")
                        .doesNotContain("PERSON_ACTION");
                assertThat(trail.toString()).doesNotContain(NHS).doesNotContain("nhsNumber")
                        .doesNotContain("DASHBOARD");
                JsonNode parkedHop = null;
                for (JsonNode h : trail.get("hops")) {
                    if (h.get("type").asText().equals("PARKED")) {
                        parkedHop = h;
                    }
                }
                assertThat(parkedHop.get("service").asText()).isEqualTo("clinic");
                assertThat(parkedHop.get("detail").asText()).contains("AR");
            }
        }
    }

    @Test
    void aDetailShapedLikeAnNhsNumberIsMasked() {
        assertThat(MessageTrailEndpoints.masked("about 943 476 5919 and 9434765919, not 12345"))
                .isEqualTo("about [number hidden] and [number hidden], not 12345");
        assertThat(MessageTrailEndpoints.masked(null)).isNull();
    }

    private static JsonNode clinic(JsonNode dashboard) {
        for (JsonNode s : dashboard.get("services")) {
            if (s.get("id").asText().equals("clinic")) {
                return s;
            }
        }
        throw new AssertionError("no service clinic on the dashboard: " + dashboard);
    }
}
