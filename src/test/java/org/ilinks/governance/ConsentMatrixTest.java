package org.ilinks.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ilinks.governance.Outcome.HELD;
import static org.ilinks.governance.Outcome.SEND;
import static org.ilinks.governance.Outcome.WITHHELD;
import static org.ilinks.governance.consent.ConsentChoice.CONSENT;
import static org.ilinks.governance.consent.ConsentChoice.DISSENT;
import static org.ilinks.governance.consent.ConsentScope.ALL;
import static org.ilinks.governance.consent.ConsentScope.CATEGORY;
import static org.ilinks.governance.consent.ConsentScope.SERVICE;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ilinks.governance.consent.ConsentChoice;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentScope;
import org.ilinks.governance.consent.DirectiveSource;
import org.ilinks.hl7.Hl7Inspector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The consent and identity rules as a table: for each state a patient can be in (directives, protection, NHS
 * number) and each kind of service (opt-out or opt-in; receiving or withholding protected records; sending or
 * holding unverified NHS numbers), what the {@link Governor} decides, its reason code, and words its reason
 * sentence must contain. No reason may ever contain the NHS number or other patient data.
 *
 * <p>Four services cover the combinations that matter: {@code out-open} and {@code in-open} receive protected
 * records and send unverified NHS numbers, {@code out-strict} and {@code in-strict} withhold and hold them.
 */
class ConsentMatrixTest {

    /** Judged at noon on 1 March 2026. */
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final LocalDate RECORDED = LocalDate.parse("2026-01-10");
    private static final String NHS = SyntheticHl7.NHS_1;

    @TempDir
    static Path root;

    private static Governor governor;

    @BeforeAll
    static void configure() {
        GovernanceConfig config = new GovernanceConfigDir(root)
                .service("out-open", governance("opt-out", "direct-care", "receive", "send"), "")
                .service("out-strict", governance("opt-out", "direct-care", "withhold", "hold"), "")
                .service("in-open", governance("opt-in", "secondary-use", "receive", "send"), "")
                .service("in-strict", governance("opt-in", "secondary-use", "withhold", "hold"), "")
                .load();
        governor = new Governor(config, new Hl7Inspector(Hl7Inspector.DEFAULT_ACCEPTED_VERSIONS,
                StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static String governance(String consent, String category, String protectedRecords, String unverified) {
        return "governance:\n  consent: " + consent + "\n  categories: [" + category + "]\n  protectedRecords: "
                + protectedRecords + "\n  unverifiedNhsNumber: " + unverified + "\n";
    }

    /** A patient's situation: the message about them and the directives the registry holds for them. */
    record Patient(String name, SyntheticHl7 message, List<ConsentDirective> directives) {
        @Override
        public String toString() {
            return name;
        }
    }

    // ---- the patient states ------------------------------------------------------------------------------------

    static final Patient NO_DIRECTIVE = patient("no directive", verified());
    static final Patient DISSENT_ALL = patient("dissent from all sharing", verified(),
            directive(ALL, null, DISSENT).source(DirectiveSource.PRACTICE, "N81013").build());
    static final Patient DISSENT_THIS_SERVICE = patient("dissent from service out-open", verified(),
            directive(SERVICE, "out-open", DISSENT).build());
    static final Patient DISSENT_CATEGORY = patient("dissent from the direct-care category", verified(),
            directive(CATEGORY, "direct-care", DISSENT).source(DirectiveSource.CLINICIAN, "C1234567").build());
    static final Patient CONSENT_ALL = patient("consent to all sharing", verified(),
            directive(ALL, null, CONSENT).build());
    static final Patient CONSENT_CATEGORY = patient("consent to the secondary-use category", verified(),
            directive(CATEGORY, "secondary-use", CONSENT).build());
    static final Patient EXPIRED = patient("dissent and consent that expired (effective_to in the past)", verified(),
            directive(ALL, null, DISSENT).effectiveTo(LocalDate.parse("2026-02-28")).build(),
            directive(ALL, null, CONSENT).effectiveTo(LocalDate.parse("2026-02-28")).build());
    static final Patient LAST_DAY = patient("dissent whose last day is today", verified(),
            directive(ALL, null, DISSENT).effectiveTo(LocalDate.parse("2026-03-01")).build());
    static final Patient ENDED = patient("dissent and consent that were ended", verified(),
            directive(ALL, null, DISSENT).build().endedAt(Instant.parse("2026-02-01T09:00:00Z"), "support", "withdrawn"),
            directive(ALL, null, CONSENT).build().endedAt(Instant.parse("2026-02-01T09:00:00Z"), "support", "withdrawn"));
    static final Patient PROTECTED = patient("protected record (PD1-12 = Y), consent to all", verified()
            .protectedRecord(), directive(ALL, null, CONSENT).build());
    static final Patient INVALID_NHS = patient("NHS number failing Modulus 11",
            SyntheticHl7.admission("M-INVALID", NHS).withInvalidNhsNumber());
    static final Patient UNVERIFIED = patient("NHS number not verified (PID-32 = 03)", verified().traceStatus("03"));
    static final Patient UNVERIFIED_DISSENT = patient("NHS number not verified, dissent from all sharing",
            verified().traceStatus("03"), directive(ALL, null, DISSENT).source(DirectiveSource.PRACTICE, "N81013").build());
    static final Patient NO_NHS = patient("no NHS number", SyntheticHl7.admission("M-NONE", NHS).withoutNhsNumber());

    // ---- what each service gets --------------------------------------------------------------------------------

    static Stream<Arguments> matrix() {
        Table t = new Table();
        t.row(NO_DIRECTIVE, "out-open", SEND, "NO_DIRECTIVE_OPT_OUT", "no dissent recorded",
                "service out-open shares unless the patient dissents (opt-out)");
        t.row(NO_DIRECTIVE, "out-strict", SEND, "NO_DIRECTIVE_OPT_OUT", "no dissent recorded");
        t.row(NO_DIRECTIVE, "in-open", WITHHELD, "NO_CONSENT_OPT_IN", "no recorded consent applies",
                "service in-open shares only with consent (opt-in)");
        t.row(NO_DIRECTIVE, "in-strict", WITHHELD, "NO_CONSENT_OPT_IN", "no recorded consent applies");

        for (String service : List.of("out-open", "out-strict", "in-open", "in-strict")) {
            t.row(DISSENT_ALL, service, WITHHELD, "DISSENT_ALL",
                    "dissent from all sharing recorded 2026-01-10 by practice N81013");
        }

        t.row(DISSENT_THIS_SERVICE, "out-open", WITHHELD, "DISSENT_SERVICE",
                "dissent from sharing with service out-open recorded 2026-01-10 by the patient");
        t.row(DISSENT_THIS_SERVICE, "out-strict", SEND, "NO_DIRECTIVE_OPT_OUT", "no dissent recorded");
        t.row(DISSENT_THIS_SERVICE, "in-open", WITHHELD, "NO_CONSENT_OPT_IN", "no recorded consent applies");

        t.row(DISSENT_CATEGORY, "out-open", WITHHELD, "DISSENT_CATEGORY",
                "dissent from sharing with direct-care services recorded 2026-01-10 by clinician C1234567");
        t.row(DISSENT_CATEGORY, "out-strict", WITHHELD, "DISSENT_CATEGORY", "direct-care services");
        t.row(DISSENT_CATEGORY, "in-open", WITHHELD, "NO_CONSENT_OPT_IN", "no recorded consent applies");

        for (String service : List.of("out-open", "out-strict", "in-open", "in-strict")) {
            t.row(CONSENT_ALL, service, SEND, "CONSENT_ALL", "consent to all sharing recorded 2026-01-10 by the patient");
        }

        t.row(CONSENT_CATEGORY, "in-open", SEND, "CONSENT_CATEGORY",
                "consent to sharing with secondary-use services recorded 2026-01-10");
        t.row(CONSENT_CATEGORY, "in-strict", SEND, "CONSENT_CATEGORY", "secondary-use services");
        t.row(CONSENT_CATEGORY, "out-open", SEND, "NO_DIRECTIVE_OPT_OUT", "no dissent recorded");

        t.row(EXPIRED, "out-open", SEND, "NO_DIRECTIVE_OPT_OUT", "no dissent recorded");
        t.row(EXPIRED, "in-open", WITHHELD, "NO_CONSENT_OPT_IN", "no recorded consent applies");
        t.row(LAST_DAY, "out-open", WITHHELD, "DISSENT_ALL", "in effect until 2026-03-01");
        t.row(ENDED, "out-open", SEND, "NO_DIRECTIVE_OPT_OUT", "no dissent recorded");
        t.row(ENDED, "in-open", WITHHELD, "NO_CONSENT_OPT_IN", "no recorded consent applies");

        t.row(PROTECTED, "out-open", SEND, "CONSENT_ALL", "consent to all sharing");
        t.row(PROTECTED, "out-strict", WITHHELD, "PROTECTED_RECORD",
                "the record is protected (PD1-12 = Y) and service out-strict is not declared to receive protected records");
        t.row(PROTECTED, "in-open", SEND, "CONSENT_ALL", "consent to all sharing");
        t.row(PROTECTED, "in-strict", WITHHELD, "PROTECTED_RECORD", "service in-strict is not declared");

        t.row(INVALID_NHS, "out-open", SEND, "NO_NHS_NUMBER_OPT_OUT",
                "the NHS number in PID-3 fails the Modulus 11 check, so no dissent can be found");
        t.row(INVALID_NHS, "out-strict", HELD, "NHS_NUMBER_INVALID", "fails the Modulus 11 check",
                "service out-strict holds such messages until support releases them");
        t.row(INVALID_NHS, "in-open", WITHHELD, "NO_NHS_NUMBER_OPT_IN", "so no recorded consent can be found",
                "service in-open shares only with consent (opt-in)");
        t.row(INVALID_NHS, "in-strict", HELD, "NHS_NUMBER_INVALID", "fails the Modulus 11 check");

        t.row(UNVERIFIED, "out-open", SEND, "NO_DIRECTIVE_OPT_OUT", "no dissent recorded");
        t.row(UNVERIFIED, "out-strict", HELD, "NHS_NUMBER_NOT_VERIFIED",
                "the NHS number's trace status (PID-32) is 03, not 01 (verified)",
                "service out-strict holds such messages");
        t.row(UNVERIFIED, "in-open", WITHHELD, "NO_CONSENT_OPT_IN", "no recorded consent applies");
        t.row(UNVERIFIED, "in-strict", HELD, "NHS_NUMBER_NOT_VERIFIED", "trace status (PID-32) is 03");
        // A service that sends unverified numbers still honours a dissent recorded against that number.
        t.row(UNVERIFIED_DISSENT, "out-open", WITHHELD, "DISSENT_ALL", "dissent from all sharing");
        t.row(UNVERIFIED_DISSENT, "out-strict", HELD, "NHS_NUMBER_NOT_VERIFIED", "trace status (PID-32) is 03");

        t.row(NO_NHS, "out-open", SEND, "NO_NHS_NUMBER_OPT_OUT", "the message carries no NHS number",
                "so no dissent can be found");
        t.row(NO_NHS, "out-strict", HELD, "NHS_NUMBER_MISSING", "the message carries no NHS number");
        t.row(NO_NHS, "in-open", WITHHELD, "NO_NHS_NUMBER_OPT_IN", "the message carries no NHS number");
        t.row(NO_NHS, "in-strict", HELD, "NHS_NUMBER_MISSING", "the message carries no NHS number");
        return t.rows.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}: {2} {3}")
    @MethodSource("matrix")
    void decidesAsTheTableSays(Patient patient, String serviceId, Outcome outcome, String reasonCode,
                               List<String> words) {
        byte[] raw = patient.message().bytes();
        PatientFacts facts = governor.facts(raw);
        ServiceOutcome decision = governor.decide(raw, facts, patient.directives(), NOW).stream()
                .filter(o -> o.service().id().equals(serviceId))
                .findFirst().orElseThrow();

        assertThat(decision.outcome()).as("outcome").isEqualTo(outcome);
        assertThat(decision.reasonCode()).as("reason code").isEqualTo(reasonCode);
        assertThat(decision.reason()).as("reason sentence").contains(words);
        assertThat(decision.message()).as("a copy exactly when sent").matches(m -> (m != null) == (outcome == SEND));
        assertThat(decision.reason()).as("no patient data in the reason")
                .doesNotContain(NHS, SyntheticHl7.BAD_CHECK_DIGIT, SyntheticHl7.HOSPITAL_NUMBER,
                        SyntheticHl7.FAMILY_NAME, SyntheticHl7.POSTCODE);
    }

    // ---- table plumbing ----------------------------------------------------------------------------------------

    private static final class Table {
        final List<Arguments> rows = new ArrayList<>();

        void row(Patient patient, String service, Outcome outcome, String reasonCode, String... words) {
            rows.add(Arguments.of(patient, service, outcome, reasonCode, List.of(words)));
        }
    }

    private static SyntheticHl7 verified() {
        return SyntheticHl7.admission("M-VERIFIED", NHS);
    }

    private static Patient patient(String name, SyntheticHl7 message, ConsentDirective... directives) {
        return new Patient(name, message, List.of(directives));
    }

    private static ConsentDirective.Builder directive(ConsentScope scope, String value, ConsentChoice choice) {
        return ConsentDirective.builder(NHS, scope, value, choice, RECORDED)
                .recordedBy("test")
                .recordedAt(RECORDED.atStartOfDay().toInstant(ZoneOffset.UTC));
    }
}
