package org.ilinks.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ilinks.governance.Outcome.NOT_SUBSCRIBED;
import static org.ilinks.governance.Outcome.SEND;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.ilinks.hl7.Hl7Inspector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Subscriptions beyond the message type, decided by the {@link Governor}: {@code registeredPractices} (PD1-3, the
 * code in XON-3 as v2.4 senders write it or in XON-10 as v2.5 and later do), {@code patientClasses} (PV1-2) and
 * {@code sendingFacilities} (MSH-4). A service that does not subscribe gets NOT_SUBSCRIBED with the rule it fails.
 */
class RoutingRulesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String OPEN = "governance:\n  consent: opt-out\n  protectedRecords: receive\n"
            + "  unverifiedNhsNumber: send\n";

    @TempDir
    static Path root;

    private static Governor governor;

    @BeforeAll
    static void configure() {
        GovernanceConfig config = new GovernanceConfigDir(root)
                .service("orchard-patients", OPEN, "  registeredPractices: [N81013, N81099]\n")
                .service("inpatients-and-ae", OPEN, "  patientClasses: [I, E]\n")
                .service("from-the-royal", OPEN, "  sendingFacilities: [RQ6]\n")
                .service("everything", OPEN, "")
                .load();
        governor = new Governor(config, new Hl7Inspector(Hl7Inspector.DEFAULT_ACCEPTED_VERSIONS,
                StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static Stream<Arguments> rules() {
        String nhs = SyntheticHl7.NHS_9;
        return Stream.of(
                row("PD1-3 N81013 in XON-3 (v2.4)", SyntheticHl7.admission("R1", nhs).practice("N81013"),
                        "orchard-patients", SEND, ""),
                row("PD1-3 N81013 in XON-10 (v2.5)", SyntheticHl7.admission("R2", nhs).version("2.5")
                        .practiceInXon10("N81013"), "orchard-patients", SEND, ""),
                row("practice code in lower case", SyntheticHl7.admission("R3", nhs).version("2.5")
                        .practiceInXon10("n81099"), "orchard-patients", SEND, ""),
                row("listed practice in the second repetition of PD1-3", SyntheticHl7.admission("R4", nhs)
                        .pd1Field3("PARK SURGERY^^N82001~ORCHARD PRACTICE^^N81013"), "orchard-patients", SEND, ""),
                row("another practice", SyntheticHl7.admission("R5", nhs).practice("N82001"), "orchard-patients",
                        NOT_SUBSCRIBED, "the patient's registered practice (PD1-3) is not in its registeredPractices"),
                row("another practice in XON-10", SyntheticHl7.admission("R6", nhs).version("2.5")
                        .practiceInXon10("N82001"), "orchard-patients", NOT_SUBSCRIBED, "is not in its registeredPractices"),
                row("no PD1 segment", SyntheticHl7.admission("R7", nhs).noPd1(), "orchard-patients", NOT_SUBSCRIBED,
                        "the message names no registered practice (PD1-3)"),
                row("no PD1 segment, service without a practice rule", SyntheticHl7.admission("R8", nhs).noPd1(),
                        "everything", SEND, ""),

                row("inpatient", SyntheticHl7.admission("R9", nhs).patientClass("I"), "inpatients-and-ae", SEND, ""),
                row("emergency, lower case", SyntheticHl7.admission("R10", nhs).patientClass("e"), "inpatients-and-ae",
                        SEND, ""),
                row("outpatient", SyntheticHl7.admission("R11", nhs).patientClass("O"), "inpatients-and-ae",
                        NOT_SUBSCRIBED, "patient class (PV1-2) O is not in its patientClasses"),
                row("no patient class", SyntheticHl7.admission("R12", nhs).patientClass(""), "inpatients-and-ae",
                        NOT_SUBSCRIBED, "patient class (PV1-2) is empty"),

                row("sent by RQ6", SyntheticHl7.admission("R13", nhs).facility("RQ6"), "from-the-royal", SEND, ""),
                row("sent by REM", SyntheticHl7.admission("R14", nhs).facility("REM"), "from-the-royal",
                        NOT_SUBSCRIBED, "sending facility (MSH-4) REM is not in its sendingFacilities"),
                row("sent by REM, service without a facility rule", SyntheticHl7.admission("R15", nhs).facility("REM"),
                        "everything", SEND, ""));
    }

    @ParameterizedTest(name = "{0} -> {2}: {3}")
    @MethodSource("rules")
    void subscriptionRulesFilterAsConfigured(String situation, SyntheticHl7 message, String serviceId,
                                             Outcome expected, String reasonWords) {
        byte[] raw = message.bytes();
        ServiceOutcome decision = governor.decide(raw, governor.facts(raw), List.of(), NOW).stream()
                .filter(o -> o.service().id().equals(serviceId)).findFirst().orElseThrow();

        assertThat(decision.outcome()).isEqualTo(expected);
        if (expected == NOT_SUBSCRIBED) {
            assertThat(decision.reasonCode()).isEqualTo("NOT_SUBSCRIBED");
            assertThat(decision.reason()).contains(reasonWords).doesNotContain(SyntheticHl7.NHS_9);
        }
    }

    private static Arguments row(String situation, SyntheticHl7 message, String serviceId, Outcome expected,
                                 String reasonWords) {
        return Arguments.of(situation, message, serviceId, expected, reasonWords);
    }
}
