package org.ilinks.governance.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Consent codes in a message's coded fields turn into directives to record or end. */
class ConsentCodeMatcherTest {

    // Example codes for the tests; a deployment lists the codes its GP systems actually record.
    private static final String DISSENT_CODE = "827241000000103";
    private static final String DISSENT_WITHDRAWN_CODE = "827261000000102";
    private static final String RESEARCH_CONSENT_CODE = "444221000000104";

    private static final ConsentCodeMatcher MATCHER = new ConsentCodeMatcher(List.of(
            new ConsentCodeRule("SNOMED CT", DISSENT_CODE, ConsentCodeEffect.START_DISSENT, ConsentScope.ALL, null),
            new ConsentCodeRule("SCT", DISSENT_WITHDRAWN_CODE, ConsentCodeEffect.END_DISSENT, ConsentScope.ALL, null),
            new ConsentCodeRule("http://snomed.info/sct", RESEARCH_CONSENT_CODE, ConsentCodeEffect.START_CONSENT,
                    ConsentScope.CATEGORY, "research")));
    private static final Instant RECEIVED = Instant.parse("2026-03-05T10:00:00Z");

    private static byte[] message(String pid3, String... obx) {
        StringBuilder s = new StringBuilder()
                .append("MSH|^~\\&|EMIS|N81013|ILINKS|ILINKS|20260304093000||ORU^R01^ORU_R01|CC0001|P|2.4\r")
                .append("PID|1||").append(pid3).append("||TESTPATIENT^ALPHA||19700101|F\r");
        for (String segment : obx) {
            s.append(segment).append('\r');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aDissentCodeInObx3StartsADissentFromAllSharing() {
        List<ConsentChange> changes = MATCHER.match(message("9434765919^^^NHS^NH",
                        "OBX|1|ST|" + DISSENT_CODE + "^Dissent from sharing^SCT||recorded||||||F|||20260301"),
                "01JMESSAGE0000000000000001", RECEIVED);

        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.effect()).isEqualTo(ConsentCodeEffect.START_DISSENT);
            assertThat(c.foundIn()).isEqualTo("OBX[1]-3");
            ConsentDirective d = c.directive();
            assertThat(d.nhsNumber()).isEqualTo("9434765919");
            assertThat(d.scope()).isEqualTo(ConsentScope.ALL);
            assertThat(d.choice()).isEqualTo(ConsentChoice.DISSENT);
            assertThat(d.effectiveFrom()).as("OBX-14").isEqualTo(LocalDate.parse("2026-03-01"));
            assertThat(d.source()).isEqualTo(DirectiveSource.PRACTICE);
            assertThat(d.sourceId()).isEqualTo("N81013");
            assertThat(d.sourceMessageId()).isEqualTo("01JMESSAGE0000000000000001");
            assertThat(d.recordedAt()).isEqualTo(RECEIVED);
            assertThat(d.reason()).isEqualTo("coded entry SNOMED CT " + DISSENT_CODE + " in OBX[1]-3")
                    .doesNotContain("9434765919");
            assertThat(DirectiveSentence.of(d)).isEqualTo("dissent from all sharing recorded 2026-03-01 by practice "
                    + "N81013");
        });
    }

    @Test
    void codedObx5RepetitionsAndAlternateCodingsAreRead() {
        List<ConsentChange> changes = MATCHER.match(message("9434765919^^^NHS^NH",
                        "OBX|1|CWE|CONSENT^Consent status^L||LOCAL1^Local text^99LOC^" + RESEARCH_CONSENT_CODE
                                + "^Consent to research^SNOMED~" + DISSENT_WITHDRAWN_CODE + "^Withdrawn^2.16.840.1.113883.6.96"),
                "m2", RECEIVED);

        assertThat(changes).extracting(ConsentChange::effect, ConsentChange::foundIn).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ConsentCodeEffect.START_CONSENT, "OBX[1]-5"),
                org.assertj.core.groups.Tuple.tuple(ConsentCodeEffect.END_DISSENT, "OBX[1]-5"));
        assertThat(changes.get(0).directive().scopeValue()).isEqualTo("research");
        assertThat(changes.get(0).directive().effectiveFrom()).as("no OBX-14: MSH-7")
                .isEqualTo(LocalDate.parse("2026-03-04"));
    }

    @Test
    void obx5IsNotReadAsACodeWhenItIsText() {
        assertThat(MATCHER.match(message("9434765919^^^NHS^NH",
                "OBX|1|ST|NOTE^Note^L||" + DISSENT_CODE + "^not a code here^SCT"), "m3", RECEIVED)).isEmpty();
    }

    @Test
    void theCodeSystemMustMatchAsWellAsTheCode() {
        assertThat(MATCHER.match(message("9434765919^^^NHS^NH",
                "OBX|1|ST|" + DISSENT_CODE + "^Same digits, other system^LN||x"), "m4", RECEIVED)).isEmpty();
    }

    @Test
    void noValidNhsNumberMeansNoDirective() {
        String obx = "OBX|1|ST|" + DISSENT_CODE + "^Dissent^SCT||x";

        assertThat(MATCHER.match(message("9434765918^^^NHS^NH", obx), "m5", RECEIVED)).isEmpty();
        assertThat(MATCHER.match(message("H123456^^^RXN^MR", obx), "m6", RECEIVED)).isEmpty();
    }

    @Test
    void aMessageWithoutConsentCodesGivesNothing() {
        assertThat(MATCHER.match(message("9434765919^^^NHS^NH",
                "OBX|1|NM|4548-4^HbA1c^LN||48|mmol/mol"), "m7", RECEIVED)).isEmpty();
        assertThat(new ConsentCodeMatcher(List.of()).match("garbage".getBytes(StandardCharsets.UTF_8), "m8",
                RECEIVED)).isEmpty();
        assertThat(MATCHER.match("not HL7 at all".getBytes(StandardCharsets.UTF_8), "m9", RECEIVED)).isEmpty();
    }
}
