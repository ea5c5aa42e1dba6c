package org.ilinks.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ilinks.governance.consent.ConsentChoice;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.governance.consent.ConsentScope;
import org.ilinks.governance.consent.DirectiveSource;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One message through intake, consent, restricted data, minimisation and delivery to three services, on a real
 * engine: its trail holds every hop, in order, with the right outcomes, and the chain verifies.
 */
class AuditTrailEngineTest {

    private static final String PATIENT = "9434765919";
    private static final String OTHER_PATIENT = "9434765870";

    @TempDir
    Path tmp;

    private static String result(String controlId, String nhs) {
        return String.join("\r",
                "MSH|^~\\&|WINPATH|RQ6|ILINKS|NMERSEY|20261126101500||ORU^R01^ORU_R01|" + controlId + "|P|2.4",
                "PID|1||" + nhs + "^^^NHS^NH||AUDIT^TEST||19700101|F",
                "OBR|1|ORD1||24331-1^Lipid panel^LN",
                "OBX|1|NM|2093-3^Cholesterol^LN||5.2|mmol/L",
                "OBX|2|ST|56888-1^HIV 1+2 Ab+Ag^LN||Not detected",
                "NTE|1||Discussed with patient") + "\r";
    }

    @Test
    void aMessagesTrailHasEveryHopInOrderAndTheChainVerifies() throws Exception {
        try (TestEngine te = new TestEngine(tmp)) {
            Files.copy(TestEngine.projectDir().resolve("config/restricted-codes.yaml"),
                    te.configDir().resolve("restricted-codes.yaml"));
            te.service("authorised.yaml", folder("authorised", "[hiv]", "opt-out"));
            te.service("general.yaml", folder("general", "[]", "opt-out"));
            te.service("research.yaml", folder("research", "[]", "opt-in"));
            te.start();
            String messageId;
            try (MllpClient client = new MllpClient("127.0.0.1", te.port(), 2000, 10000)) {
                assertThat(AckSummary.parse(client.send(result("AUD-1", PATIENT).getBytes(StandardCharsets.UTF_8)))
                        .code()).isEqualTo("AA");
                await().atMost(Duration.ofSeconds(20)).until(() -> files(te, "general").size() == 1
                        && files(te, "authorised").size() == 1);
                messageId = files(te, "general").get(0).getFileName().toString().replace(".hl7", "");
            }
            AuditStore store = new AuditStore(te.engine().dataSource(), new AuditHeadFile(te.settings().auditHeadFile()));
            await().atMost(Duration.ofSeconds(20)).until(() -> store.trail(messageId).stream()
                    .filter(e -> e.type() == AuditEventType.DELIVERED).count() == 2);

            List<AuditEvent> trail = store.trail(messageId);
            List<String> hops = trail.stream().map(e -> e.type() + (e.serviceId() == null ? "" : " " + e.serviceId()))
                    .toList();
            assertThat(hops.get(0)).isEqualTo("RECEIVED");
            assertThat(hops).containsSubsequence("RECEIVED", "CONSENT_DECISION authorised", "MINIMISED authorised",
                    "QUEUED authorised", "DELIVERED authorised");
            assertThat(hops).containsSubsequence("CONSENT_DECISION general", "RESTRICTED_REMOVED general",
                    "MINIMISED general", "QUEUED general", "DELIVERED general");
            assertThat(hops).containsSubsequence("CONSENT_DECISION research", "WITHHELD research");
            assertThat(hops).doesNotContain("QUEUED research", "DELIVERED research", "RESTRICTED_REMOVED authorised");
            // deliveries come after everything routing recorded
            assertThat(hops.indexOf("DELIVERED general")).isGreaterThan(hops.indexOf("QUEUED research") < 0
                    ? hops.indexOf("WITHHELD research") : hops.indexOf("QUEUED research"));
            Map<AuditEventType, List<AuditEvent>> byType = trail.stream().collect(Collectors.groupingBy(AuditEvent::type));
            assertThat(byType.get(AuditEventType.WITHHELD).get(0).detail()).contains("NO_CONSENT_OPT_IN");
            assertThat(byType.get(AuditEventType.RESTRICTED_REMOVED).get(0).detail()).contains("OBX[2]").contains("hiv")
                    .doesNotContain("Not detected");
            assertThat(byType.get(AuditEventType.MINIMISED).get(0).detail()).contains("sha256:");
            assertThat(byType.get(AuditEventType.RECEIVED).get(0).actorAddress()).contains("127.0.0.1");
            assertThat(trail).filteredOn(e -> e.type() != AuditEventType.RECEIVED)
                    .allSatisfy(e -> assertThat(e.nhsNumber()).isEqualTo(PATIENT));
            assertThat(byType.get(AuditEventType.DELIVERED)).allSatisfy(e -> {
                assertThat(e.outcome()).isEqualTo(AuditEvent.SUCCESS);
                assertThat(e.detail()).contains("delivered by folder");
            });

            // The subject-access report: sent to the two opt-out services, withheld from the opt-in one and why,
            // and what was removed for the one not authorised for HIV results.
            List<String> access = SubjectAccessReport.lines(store.patient(PATIENT, null, null));
            assertThat(access).contains("Service authorised: delivered 1, queued 1, withheld, held or removed 0",
                    "Service general: delivered 1, queued 1, withheld, held or removed 1",
                    "Service research: delivered 0, queued 0, withheld, held or removed 1");
            assertThat(String.join("\n", access)).contains("NO_CONSENT_OPT_IN").contains("OBX[2]");

            // A dissent recorded for another patient: the next message for them is withheld everywhere, and said so.
            new ConsentRegistry(te.engine().dataSource()).record(ConsentDirective.builder(OTHER_PATIENT,
                    ConsentScope.ALL, null, ConsentChoice.DISSENT, LocalDate.of(2026, 1, 1))
                    .source(DirectiveSource.PATIENT, null).recordedBy("test").recordedAt(Instant.now()).build());
            try (MllpClient client = new MllpClient("127.0.0.1", te.port(), 2000, 10000)) {
                assertThat(AckSummary.parse(client.send(result("AUD-2", OTHER_PATIENT)
                        .getBytes(StandardCharsets.UTF_8))).code()).isEqualTo("AA");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> store.patient(OTHER_PATIENT, null, null).stream()
                    .filter(e -> e.type() == AuditEventType.WITHHELD).count() == 3);
            assertThat(store.patient(OTHER_PATIENT, null, null)).filteredOn(e -> e.type() == AuditEventType.WITHHELD)
                    .allSatisfy(e -> assertThat(e.detail()).contains("DISSENT_ALL"));

            VerifyReport report = AuditVerifier.verify(te.engine().dataSource(),
                    new AuditHeadFile(te.settings().auditHeadFile()));
            assertThat(report.ok()).as(report.problem()).isTrue();
        }
    }

    private static String folder(String id, String restricted, String model) {
        return "id: " + id + "\ndescription: audit test " + id + "\nsubscribe:\n  messageTypes: [ORU^R01]\n"
                + "governance:\n  consent: " + model + "\n  unverifiedNhsNumber: send\n  restrictedData: " + restricted
                + "\nendpoint:\n  folder:\n    path: out/" + id + "\n";
    }

    private static List<Path> files(TestEngine te, String service) throws Exception {
        Path dir = te.folderOut(service);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".hl7")).toList();
        }
    }
}
