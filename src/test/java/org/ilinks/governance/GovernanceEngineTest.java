package org.ilinks.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ilinks.governance.SyntheticHl7.FAMILY_NAME;
import static org.ilinks.governance.SyntheticHl7.HBA1C_LOINC;
import static org.ilinks.governance.SyntheticHl7.HIV_LOINC;
import static org.ilinks.governance.SyntheticHl7.HOSPITAL_NUMBER;
import static org.ilinks.governance.SyntheticHl7.PHONE;
import static org.ilinks.governance.SyntheticHl7.STREET;
import static org.ilinks.governance.SyntheticHl7.field;
import static org.ilinks.governance.SyntheticHl7.observation;
import static org.ilinks.governance.SyntheticHl7.pid3Component;
import static org.ilinks.governance.SyntheticHl7.segmentIds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ilinks.governance.consent.ConsentChoice;
import org.ilinks.governance.consent.ConsentDecider;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.governance.consent.ConsentScope;
import org.ilinks.governance.consent.DirectiveSource;
import org.ilinks.support.IntakeSender;
import org.ilinks.support.Jms;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Governance in the running engine (MLLP intake over a socket, embedded broker, H2), one engine for the class and
 * one patient per scenario. Services:
 * <ul>
 *   <li>{@code svc-a}: opt-out, direct care, authorised for HIV data; profile keeps the name, drops address and phone;</li>
 *   <li>{@code svc-b}: opt-out, direct care, no restricted data; profile masks the name, keeps birth year and
 *       postcode district;</li>
 *   <li>{@code svc-c}: opt-in, secondary use; profile pseudonymises the NHS number and bands the age;</li>
 *   <li>{@code svc-d}: opt-out, direct care, holds messages without a verified NHS number; profile keeps the NHS
 *       number and patient class only.</li>
 * </ul>
 * A local consent code ({@code DISSENT-DC} in system {@code ILINKS-TEST}) records a dissent from direct care.
 */
class GovernanceEngineTest {

    private static final List<String> SERVICES = List.of("svc-a", "svc-b", "svc-c", "svc-d");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path root;

    private static TestEngine engine;
    private static ConsentRegistry registry;

    @BeforeAll
    static void startEngine() throws Exception {
        engine = new TestEngine(root);
        Path config = engine.configDir();
        Files.writeString(config.resolve("restricted-codes.yaml"), SyntheticHl7.RESTRICTED_CODES);
        Files.writeString(config.resolve("consent-codes.yaml"), """
                codes:
                  - system: ILINKS-TEST
                    code: DISSENT-DC
                    meaning: dissent from sharing for direct care (test code)
                    effect: start-dissent
                    scope: category
                    category: direct-care
                """);
        Files.createDirectories(config.resolve("profiles/keys"));
        Files.writeString(config.resolve("profiles/keys/svc-c.key"), "3f8a1c9e5b7d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a\n");
        engine.profile("svc-a", """
                        description: direct care; name kept, address and phone not
                        segments:
                          PID:
                            PID-3[type=NH]: keep
                            PID-5: keep
                            PID-7: keep
                            PID-8: keep
                          PV1:
                            PV1-2: keep
                          OBR: all
                          OBX: all
                        """)
                .profile("svc-b", """
                        description: direct care; name masked, birth year and district only
                        segments:
                          PID:
                            PID-3[type=NH]: keep
                            PID-5: mask
                            PID-7: birth-year
                            PID-11.5: outward-code
                          PV1:
                            PV1-2: keep
                          OBR: all
                          OBX: all
                        """)
                .profile("svc-c", """
                        description: secondary use; pseudonymised
                        pseudonymisation:
                          keyFile: keys/svc-c.key
                        segments:
                          PID:
                            PID-3[type=NH].1: pseudonymise
                            PID-3[type=NH].5: keep
                            PID-7: age-band
                          PV1:
                            PV1-2: keep
                        """)
                .profile("svc-d", """
                        description: NHS number and patient class only
                        segments:
                          PID:
                            PID-3[type=NH]: keep
                          PV1:
                            PV1-2: keep
                        """)
                .service("svc-a.yaml", service("svc-a", "opt-out", "direct-care", "send", "[hiv]"))
                .service("svc-b.yaml", service("svc-b", "opt-out", "direct-care", "send", "[]"))
                .service("svc-c.yaml", service("svc-c", "opt-in", "secondary-use", "hold", "[]"))
                .service("svc-d.yaml", service("svc-d", "opt-out", "direct-care", "hold", "[]"))
                .start();
        registry = new ConsentRegistry(engine.engine().dataSource());
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.stop();
        }
    }

    private static String service(String id, String consent, String category, String unverified, String restricted) {
        return "id: " + id + "\ndescription: governance test service " + id + "\nsubscribe:\n"
                + "  messageTypes: [ADT^A01, ORU^R01]\ngovernance:\n  consent: " + consent + "\n  categories: ["
                + category + "]\n  protectedRecords: withhold\n  unverifiedNhsNumber: " + unverified
                + "\n  restrictedData: " + restricted + "\nendpoint:\n  folder:\n    path: out/" + id + "\n";
    }

    @Test
    void anOptedOutPatientReachesNoOptOutService() throws Exception {
        String nhs = SyntheticHl7.NHS_1;
        registry.record(directive(nhs, ConsentScope.ALL, null, ConsentChoice.DISSENT));

        send(SyntheticHl7.admission("GE-OPTOUT", nhs));
        Map<String, DecisionStore.Row> decisions = awaitDecisions("GE-OPTOUT");

        for (String service : SERVICES) {
            assertThat(decisions.get(service).outcome()).as(service).isEqualTo("WITHHELD");
            assertThat(decisions.get(service).reasonCode()).as(service).isEqualTo("DISSENT_ALL");
            assertThat(decisions.get(service).reason()).as(service)
                    .contains("dissent from all sharing", "N81013").doesNotContain(nhs);
        }
        // Withheld at routing means nothing was queued; a later patient's delivery shows the services are live.
        send(SyntheticHl7.admission("GE-OPTOUT-LATER", SyntheticHl7.NHS_7));
        awaitDelivered("svc-a", "GE-OPTOUT-LATER");
        awaitDelivered("svc-b", "GE-OPTOUT-LATER");
        for (String service : SERVICES) {
            assertThat(EngineDecisions.delivered(engine, service, "GE-OPTOUT")).as(service).isEmpty();
        }
    }

    @Test
    void aRestrictedHivResultReachesOnlyTheServiceAuthorisedForIt() throws Exception {
        send(SyntheticHl7.result("GE-HIV", SyntheticHl7.NHS_2,
                observation(1, HIV_LOINC, "48"), observation(2, HBA1C_LOINC, "52")));

        String toA = awaitDelivered("svc-a", "GE-HIV");
        String toB = awaitDelivered("svc-b", "GE-HIV");
        assertThat(toA).contains(HIV_LOINC, HBA1C_LOINC);
        assertThat(toB).contains(HBA1C_LOINC).doesNotContain(HIV_LOINC);
        assertThat(segmentIds(toB)).containsExactly("MSH", "PID", "PV1", "OBR", "OBX");
        DecisionStore.Row b = EngineDecisions.decision(engine, "GE-HIV", "svc-b");
        assertThat(b.outcome()).isEqualTo("SEND");
        assertThat(b.changes()).contains("OBX[1]", "removed as restricted data (hiv)");
        assertThat(EngineDecisions.decision(engine, "GE-HIV", "svc-a").changes())
                .doesNotContain("removed as restricted data");
    }

    @Test
    void aResultThatIsAllRestrictedIsWithheldFromServicesNotAuthorisedForIt() throws Exception {
        String hivOrder = HIV_LOINC + "^HIV 1 RNA viral load^LN";
        send(SyntheticHl7.resultOfOrder("GE-HIVONLY", SyntheticHl7.NHS_3, hivOrder, observation(1, HIV_LOINC, "48")));

        String toA = awaitDelivered("svc-a", "GE-HIVONLY");
        assertThat(segmentIds(toA)).containsExactly("MSH", "PID", "PV1", "OBR", "OBX");
        Map<String, DecisionStore.Row> decisions = awaitDecisions("GE-HIVONLY");
        assertThat(decisions.get("svc-b").outcome()).isEqualTo("WITHHELD");
        assertThat(decisions.get("svc-b").reasonCode()).isEqualTo("RESTRICTED_CONTENT_ONLY");
        assertThat(decisions.get("svc-b").reason()).contains("legally restricted (hiv)", "svc-b is not authorised");
        assertThat(decisions.get("svc-d").reasonCode()).isEqualTo("RESTRICTED_CONTENT_ONLY");
        assertThat(EngineDecisions.delivered(engine, "svc-b", "GE-HIVONLY")).isEmpty();
        assertThat(EngineDecisions.delivered(engine, "svc-d", "GE-HIVONLY")).isEmpty();
    }

    @Test
    void anUnverifiedNhsNumberIsHeldForTheServiceThatHoldsThem() throws Exception {
        String nhs = SyntheticHl7.NHS_4;
        send(SyntheticHl7.admission("GE-UNVERIFIED", nhs).traceStatus("03"));

        awaitDelivered("svc-a", "GE-UNVERIFIED"); // svc-a sends unverified numbers
        var cf = engine.engine().connectionFactory();
        List<Jms.Received> held = Jms.browse(cf, "ilinks.service.svc-d.held").stream()
                .filter(r -> new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).contains("|GE-UNVERIFIED|"))
                .toList();
        assertThat(held).hasSize(1);
        String reason = held.get(0).message().getStringProperty(GovernanceStep.HELD_REASON);
        assertThat(reason).contains("trace status (PID-32) is 03", "service svc-d holds such messages")
                .doesNotContain(nhs);
        DecisionStore.Row d = EngineDecisions.decision(engine, "GE-UNVERIFIED", "svc-d");
        assertThat(d.outcome()).isEqualTo("HELD");
        assertThat(d.reasonCode()).isEqualTo("NHS_NUMBER_NOT_VERIFIED");
        assertThat(EngineDecisions.delivered(engine, "svc-d", "GE-UNVERIFIED")).isEmpty();
    }

    @Test
    void aConsentCodeInAMessageRecordsADirectiveAndWithholdsTheMessageItself() throws Exception {
        String nhs = SyntheticHl7.NHS_5;
        send(SyntheticHl7.result("GE-CODE", nhs, SyntheticHl7.codedObservation(1, "DISSENT-DC", "ILINKS-TEST"))
                .facility("N81013"));

        Map<String, DecisionStore.Row> decisions = awaitDecisions("GE-CODE");
        String messageId = EngineDecisions.messageIdOf(engine, "GE-CODE").orElseThrow();
        List<ConsentDirective> directives = registry.directivesFor(nhs);
        assertThat(directives).hasSize(1);
        ConsentDirective recorded = directives.get(0);
        assertThat(recorded.sourceMessageId()).isEqualTo(messageId);
        assertThat(recorded.scope()).isEqualTo(ConsentScope.CATEGORY);
        assertThat(recorded.scopeValue()).isEqualTo("direct-care");
        assertThat(recorded.choice()).isEqualTo(ConsentChoice.DISSENT);
        assertThat(recorded.source()).isEqualTo(DirectiveSource.PRACTICE);
        assertThat(recorded.sourceId()).isEqualTo("N81013");
        assertThat(recorded.effectiveFrom()).isEqualTo(LocalDate.parse("2026-02-27")); // OBX-14

        for (String covered : List.of("svc-a", "svc-b", "svc-d")) {
            assertThat(decisions.get(covered).outcome()).as(covered).isEqualTo("WITHHELD");
            assertThat(decisions.get(covered).reasonCode()).as(covered).isEqualTo("DISSENT_CATEGORY");
            assertThat(decisions.get(covered).reason()).as(covered)
                    .contains("dissent from sharing with direct-care services recorded 2026-02-27 by practice N81013");
        }
        assertThat(decisions.get("svc-c").reasonCode()).as("opt-in, not covered").isEqualTo("NO_CONSENT_OPT_IN");
    }

    @Test
    void everyServiceReceivesOnlyWhatItsProfileAllows() throws Exception {
        String nhs = SyntheticHl7.NHS_6;
        registry.record(directive(nhs, ConsentScope.CATEGORY, "secondary-use", ConsentChoice.CONSENT));
        send(SyntheticHl7.admission("GE-PROFILE", nhs));

        String a = awaitDelivered("svc-a", "GE-PROFILE");
        assertThat(segmentIds(a)).containsExactly("MSH", "PID", "PV1");
        assertThat(field(a, "PID", 5)).startsWith(FAMILY_NAME);
        assertThat(field(a, "PID", 7)).isEqualTo(SyntheticHl7.DATE_OF_BIRTH);
        assertThat(a).contains(nhs).doesNotContain(STREET, PHONE, HOSPITAL_NUMBER, "ORCHARD PRACTICE");

        String b = awaitDelivered("svc-b", "GE-PROFILE");
        assertThat(field(b, "PID", 5)).isEqualTo("XXXX");
        assertThat(field(b, "PID", 7)).isEqualTo("1980");
        assertThat(field(b, "PID", 11)).isEqualTo("^^^^L9");
        assertThat(b).contains(nhs).doesNotContain(FAMILY_NAME, SyntheticHl7.DATE_OF_BIRTH, STREET, "7AL", PHONE,
                HOSPITAL_NUMBER);

        String c = awaitDelivered("svc-c", "GE-PROFILE");
        assertThat(pid3Component(c, 1)).matches("[0-9a-f]{32}");
        assertThat(pid3Component(c, 5)).isEqualTo("NH");
        assertThat(field(c, "PID", 7)).isEqualTo("18-64");
        assertThat(c).doesNotContain(nhs, FAMILY_NAME, SyntheticHl7.DATE_OF_BIRTH, STREET, HOSPITAL_NUMBER);

        String d = awaitDelivered("svc-d", "GE-PROFILE");
        assertThat(segmentIds(d)).containsExactly("MSH", "PID", "PV1");
        assertThat(field(d, "PID", 3)).isEqualTo(nhs + "^^^NHS^NH");
        assertThat(field(d, "PV1", 2)).isEqualTo("I");
        assertThat(d).doesNotContain(FAMILY_NAME, SyntheticHl7.DATE_OF_BIRTH, STREET, HOSPITAL_NUMBER);

        Map<String, DecisionStore.Row> decisions = awaitDecisions("GE-PROFILE");
        assertThat(decisions.get("svc-c").reasonCode()).isEqualTo("CONSENT_CATEGORY");
        assertThat(decisions.values().stream().map(DecisionStore.Row::outcome).collect(Collectors.toSet()))
                .containsExactly("SEND");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static void send(SyntheticHl7 message) throws Exception {
        try (IntakeSender sender = new IntakeSender(engine.port())) {
            assertThat(sender.send(message.bytes())).as("intake ACK").isEqualTo("AA");
        }
    }

    /** The decisions for every service, once routing has recorded one per service. */
    private static Map<String, DecisionStore.Row> awaitDecisions(String controlId) throws Exception {
        await("decisions for " + controlId).atMost(WAIT)
                .until(() -> EngineDecisions.decisionsFor(engine, controlId).size() == SERVICES.size());
        return EngineDecisions.decisionsFor(engine, controlId).stream()
                .collect(Collectors.toMap(DecisionStore.Row::serviceId, r -> r));
    }

    private static String awaitDelivered(String serviceId, String controlId) throws Exception {
        await(controlId + " delivered to " + serviceId).atMost(WAIT)
                .until(() -> EngineDecisions.delivered(engine, serviceId, controlId).isPresent());
        return EngineDecisions.delivered(engine, serviceId, controlId).orElseThrow();
    }

    private static ConsentDirective directive(String nhs, ConsentScope scope, String value, ConsentChoice choice) {
        return ConsentDirective.builder(nhs, scope, value, choice, LocalDate.now(ConsentDecider.ZONE))
                .source(DirectiveSource.PRACTICE, "N81013").recordedBy("test").recordedAt(Instant.now()).build();
    }
}
