package org.ilinks.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.cli.IlinksCommand;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.support.AdminClient;
import org.ilinks.support.LogCapture;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit and consent endpoints on a real engine, against the CLI's answers for the same data: a message sent
 * through the engine has the same trail, report and export over HTTP as from {@code ilinks audit}; a consent change
 * through the API is a PERSON_ACTION with its purpose in the patient's report, and governs the next message.
 */
class AdminAuditApiTest {

    private static final String NHS = "9434765919";

    @TempDir
    Path tmp;

    private static String admission(String controlId) {
        return String.join("\r",
                "MSH|^~\\&|PAS|RQ6|ILINKS|NMERSEY|20261126101500||ADT^A01^ADT_A01|" + controlId + "|P|2.4",
                "EVN|A01|20261126101500",
                "PID|1||" + NHS + "^^^NHS^NH||APITEST^PATIENT||19700101|F",
                "PV1|1|I|WARD1") + "\r";
    }

    @Test
    void auditAnswersMatchTheCliAndConsentChangesAreRecordedWithTheirPurpose() throws Exception {
        try (LogCapture logs = new LogCapture();
             TestEngine te = new TestEngine(tmp).folderService("ward", "ADT^A01")) {
            // The CLI reads only config/: give it the engine's data dir there, so both answer from one database.
            Files.writeString(te.configDir().resolve("application.properties"),
                    "ilinks.data.dir=" + te.dataDir().toString().replace("\\", "/") + "\n", StandardOpenOption.APPEND);
            te.start();
            send(te, "API-1");
            await().atMost(Duration.ofSeconds(20)).until(() -> files(te).size() == 1);
            String messageId = files(te).get(0).getFileName().toString().replace(".hl7", "");
            AuditStore store = new AuditStore(te.engine().dataSource(), new AuditHeadFile(te.settings().auditHeadFile()));
            await().atMost(Duration.ofSeconds(20)).until(() -> store.trail(messageId).stream()
                    .anyMatch(e -> e.type() == AuditEventType.DELIVERED));

            AdminClient client = new AdminClient(te);
            String admin = client.login("admin", TestEngine.ADMIN_PASSWORD);
            client.post("/api/users", "{\"username\":\"iggy\",\"roles\":[\"ig\"],\"password\":\"ig-password-123\"}",
                    admin);
            new UserStore(te.engine().dataSource()).setPassword("iggy", PasswordHash.of("ig-password-123"), false);
            String ig = client.login("iggy", "ig-password-123");

            // Trail: the API's events are the CLI's rows, in the same order (the CLI's own look-up comes last).
            JsonNode trail = AdminClient.json(client.get("/api/audit/trail/" + messageId + "?purpose=INC-1", ig));
            List<String> apiRows = new ArrayList<>();
            trail.get("events").forEach(e -> apiRows.add(e.get("type").asText() + " | "
                    + (e.get("service").isNull() ? "-" : e.get("service").asText()) + " | " + e.get("detail").asText()));
            assertThat(apiRows.get(0)).startsWith("RECEIVED");
            assertThat(apiRows).anyMatch(r -> r.startsWith("DELIVERED | ward"));
            assertThat(apiRows.get(apiRows.size() - 1)).isEqualTo("PERSON_ACTION | - | audit trail; purpose: INC-1");
            List<String> cliRows = cli(te, "audit", "trail", "--purpose", "INC-2", messageId).lines().skip(2)
                    .map(l -> l.strip().split(" {2,}"))
                    .map(c -> c[1] + " | " + c[3] + " | " + c[5]).toList();
            assertThat(cliRows).hasSize(apiRows.size() + 1);
            assertThat(cliRows.subList(0, apiRows.size())).isEqualTo(apiRows);
            assertThat(trail.get("events").get(apiRows.size() - 1).get("source").asText()).startsWith("ilinks-admin@");
            assertThat(trail.get("events").get(apiRows.size() - 1).get("actor").asText()).isEqualTo("iggy");

            // Export: the same CSV and FHIR as the CLI's, streamed.
            HttpResponse<String> csv = client.get("/api/audit/export?format=csv&type=DELIVERED&purpose=SIEM", ig);
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
            assertThat(csv.body()).isEqualTo(cli(te, "audit", "export", "--format", "csv", "--type", "DELIVERED",
                    "--purpose", "SIEM"));
            assertThat(csv.body().lines()).hasSize(2);
            HttpResponse<String> fhir = client.get("/api/audit/export?format=fhir&type=RECEIVED&purpose=SIEM", ig);
            assertThat(fhir.body()).isEqualTo(cli(te, "audit", "export", "--format", "fhir", "--type", "RECEIVED",
                    "--purpose", "SIEM"));
            assertThat(AdminClient.json(fhir).get("resourceType").asText()).isEqualTo("AuditEvent");

            // Verify, as the CLI says.
            JsonNode verify = AdminClient.json(client.get("/api/audit/verify", ig));
            assertThat(verify.get("verified").asBoolean()).isTrue();
            assertThat(cli(te, "audit", "verify")).startsWith("audit trail verified:");

            // A dissent recorded through the API: a PERSON_ACTION with its purpose, about the patient.
            HttpResponse<String> recorded = client.post("/api/consent", "{\"nhsNumber\":\"943 476 5919\","
                    + "\"scope\":\"service\",\"scopeValue\":\"ward\",\"decision\":\"dissent\",\"from\":\"2026-01-01\","
                    + "\"source\":\"patient\",\"reason\":\"asked at reception\",\"purpose\":\"Patient request PR-7\"}",
                    ig);
            assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
            assertThat(AdminClient.json(recorded).get("sentence").asText()).contains("dissent");
            assertThat(store.patient(NHS, null, null)).filteredOn(e -> e.type() == AuditEventType.PERSON_ACTION)
                    .anySatisfy(e -> {
                        assertThat(e.detail()).isEqualTo("consent record; purpose: Patient request PR-7");
                        assertThat(e.actorId()).isEqualTo("iggy");
                        assertThat(e.actorType()).isEqualTo(AuditEvent.PERSON);
                        assertThat(e.source()).startsWith("ilinks-admin@");
                    });
            JsonNode consent = AdminClient.json(client.get("/api/consent/" + NHS + "?purpose=check", ig));
            assertThat(consent.get("directives").get(0).get("decision").asText()).isEqualTo("dissent");
            assertThat(consent.get("decisions").get(0).get("service").asText()).isEqualTo("ward");
            assertThat(consent.get("decisions").get(0).get("outcome").asText()).isEqualTo("WITHHELD");

            // ... and it governs the next message for the patient.
            send(te, "API-2");
            await().atMost(Duration.ofSeconds(20)).until(() -> store.patient(NHS, null, null).stream()
                    .anyMatch(e -> e.type() == AuditEventType.WITHHELD && "ward".equals(e.serviceId())));
            assertThat(files(te)).hasSize(1);

            // The subject-access report over HTTP is the CLI's report (look-ups aside: each adds its own).
            JsonNode report = AdminClient.json(client.get("/api/audit/patient/" + NHS + "?purpose=SAR-1", ig));
            List<String> apiReport = new ArrayList<>();
            report.get("report").forEach(l -> apiReport.add(l.asText()));
            List<String> cliReport = cli(te, "audit", "patient", "--purpose", "SAR-2", NHS).lines().skip(1).toList();
            assertThat(withoutLookUps(apiReport)).isEqualTo(withoutLookUps(cliReport)).isNotEmpty();
            assertThat(String.join("\n", apiReport)).contains("consent record; purpose: Patient request PR-7")
                    .contains("audit patient; purpose: SAR-1");

            // Monitoring: counts and states, no login, no identifiers.
            HttpResponse<String> metrics = client.get("/metrics", null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("ilinks_messages_received_total 2\n",
                    "ilinks_messages_delivered_total{service=\"ward\"} 1\n",
                    "ilinks_messages_parked_total{service=\"ward\"} 0\n",
                    "ilinks_queue_depth{service=\"ward\",queue=\"ready\"} 0\n", "ilinks_up{part=\"database\"} 1\n")
                    .doesNotContain(NHS).doesNotContain(messageId);
            assertThat(AdminClient.json(client.get("/health", null)).get("status").asText()).isEqualTo("UP");
            JsonNode services = AdminClient.json(client.get("/api/services", ig)).get("services");
            assertThat(services.get(0).get("id").asText()).isEqualTo("ward");
            assertThat(services.get(0).get("endpoint").asText()).isEqualTo("folder");
            assertThat(services.get(0).get("deliveredSinceStart").asLong()).isEqualTo(1);

            // Ending it through the API is recorded too.
            long id = AdminClient.json(recorded).get("id").asLong();
            assertThat(client.post("/api/consent/" + id + "/end", "{\"reason\":\"withdrawn\",\"purpose\":\"PR-8\"}", ig)
                    .statusCode()).isEqualTo(200);
            assertThat(client.post("/api/consent/" + id + "/end", "{\"purpose\":\"PR-8\"}", ig).statusCode())
                    .as("already ended").isEqualTo(404);
            List<String> details = new ArrayList<>();
            store.forEach(new AuditStore.Filter(null, null, AuditEventType.PERSON_ACTION, null, null, null),
                    s -> details.add(s.event().detail()));
            assertThat(details).contains("consent end " + id + "; purpose: PR-8");

            assertThat(logs.text()).doesNotContain(NHS).doesNotContain("943 476 5919").doesNotContain("APITEST");
        }
    }

    @Test
    void aLargeExportIsStreamedWholeAndMatchesTheCli() throws Exception {
        try (TestEngine te = new TestEngine(tmp)) {
            Files.writeString(te.configDir().resolve("application.properties"),
                    "ilinks.data.dir=" + te.dataDir().toString().replace("\\", "/") + "\n", StandardOpenOption.APPEND);
            te.start();
            AuditStore store = new AuditStore(te.engine().dataSource(), new AuditHeadFile(te.settings().auditHeadFile()));
            // More than the store's page (1000) and far more than the pipe's 64 KiB.
            List<AuditEvent> events = new ArrayList<>();
            java.time.Instant t0 = java.time.Instant.parse("2026-06-01T09:00:00Z");
            for (int i = 0; i < 3500; i++) {
                events.add(new AuditEvent(String.format("EXPORTTEST%016d", i), AuditEventType.DELIVERED,
                        AuditEvent.SUCCESS, t0.plusSeconds(i), AuditEvent.SYSTEM, "node-1", null, "node-1", NHS,
                        String.format("01JEXPORT%017d", i), "ward", "ADT^A01, ACK AA, delivered by folder"));
            }
            store.append(events);
            AdminClient client = new AdminClient(te);
            String admin = client.login("admin", TestEngine.ADMIN_PASSWORD);
            client.send("PATCH", "/api/users/admin", "{\"roles\":[\"admin\",\"ig\"]}", admin);
            HttpResponse<String> csv = client.get("/api/audit/export?format=csv&type=DELIVERED&purpose=bulk", admin);
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.body().lines()).hasSize(3501);
            assertThat(csv.body().length()).isGreaterThan(64 * 1024 * 4);
            assertThat(csv.body()).isEqualTo(cli(te, "audit", "export", "--format", "csv", "--type", "DELIVERED",
                    "--purpose", "bulk"));
            HttpResponse<String> fhir = client.get("/api/audit/export?format=fhir&from=2026-06-01&to=2026-06-01"
                    + "&service=ward&purpose=bulk", admin);
            assertThat(fhir.body().lines()).hasSize(3500)
                    .allSatisfy(l -> assertThat(l).startsWith("{\"resourceType\":\"AuditEvent\""));
        }
    }

    private static List<String> withoutLookUps(List<String> lines) {
        return lines.stream().filter(l -> !l.contains("looked up") && !l.startsWith("Not for one service"))
                .map(String::strip).toList();
    }

    private static void send(TestEngine te, String controlId) throws Exception {
        try (MllpClient client = new MllpClient("127.0.0.1", te.port(), 2000, 10000)) {
            assertThat(AckSummary.parse(client.send(admission(controlId).getBytes(StandardCharsets.UTF_8))).code())
                    .isEqualTo("AA");
        }
    }

    private static List<Path> files(TestEngine te) throws Exception {
        if (!Files.isDirectory(te.folderOut("ward"))) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(te.folderOut("ward"))) {
            return s.filter(p -> p.toString().endsWith(".hl7")).toList();
        }
    }

    private static String cli(TestEngine te, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", te.configDir().toString(), "--routes", te.routesDir().toString()));
        int exit = cl.execute(all.toArray(String[]::new));
        assertThat(exit).as("ilinks %s: %s", String.join(" ", args), err).isZero();
        return out.toString();
    }
}
