package org.ilinks.governance.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ilinks.governance.consent.ConsentChoice.CONSENT;
import static org.ilinks.governance.consent.ConsentChoice.DISSENT;
import static org.ilinks.governance.consent.ServiceConsentModel.OPT_IN;
import static org.ilinks.governance.consent.ServiceConsentModel.OPT_OUT;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The consent rule on its own: precedence, effective windows, opt-in and opt-out, and the sentences. */
class ConsentDeciderTest {

    private static final String NHS = "9434765919";
    private static final String SERVICE = "diabetes-partnership";
    private static final Set<String> CATEGORIES = Set.of("direct-care", "community");
    private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-03-01T09:00:00Z");
    private static final Instant T2 = Instant.parse("2026-04-01T09:00:00Z");

    /** {@code scope:choice@recorded}, e.g. {@code all:dissent@1}, {@code service:consent@2}. */
    private static List<ConsentDirective> directives(String spec) {
        List<ConsentDirective> list = new ArrayList<>();
        long id = 1;
        for (String item : spec.isBlank() ? new String[0] : spec.split(" ")) {
            String[] scopeRest = item.split(":");
            String[] choiceAt = scopeRest[1].split("@");
            ConsentScope scope = ConsentScope.fromWord(scopeRest[0]);
            String value = switch (scope) {
                case ALL -> null;
                case SERVICE -> SERVICE;
                case CATEGORY -> "community";
            };
            list.add(ConsentDirective.builder(NHS, scope, value, ConsentChoice.fromWord(choiceAt[0]),
                            LocalDate.parse("2026-01-01"))
                    .source(DirectiveSource.PRACTICE, "N81013").recordedBy("test")
                    .recordedAt(choiceAt[1].equals("1") ? T1 : T2).build().withId(id++));
        }
        return list;
    }

    static Stream<Arguments> precedence() {
        return Stream.of(
                Arguments.of("", OPT_OUT, true, ConsentReason.NO_DIRECTIVE_OPT_OUT),
                Arguments.of("", OPT_IN, false, ConsentReason.NO_CONSENT_OPT_IN),
                Arguments.of("all:dissent@1", OPT_OUT, false, ConsentReason.DISSENT_ALL),
                Arguments.of("all:dissent@1", OPT_IN, false, ConsentReason.DISSENT_ALL),
                Arguments.of("all:consent@1", OPT_IN, true, ConsentReason.CONSENT_ALL),
                Arguments.of("service:dissent@1", OPT_OUT, false, ConsentReason.DISSENT_SERVICE),
                Arguments.of("category:dissent@1", OPT_OUT, false, ConsentReason.DISSENT_CATEGORY),
                Arguments.of("service:consent@1", OPT_IN, true, ConsentReason.CONSENT_SERVICE),
                Arguments.of("category:consent@1", OPT_IN, true, ConsentReason.CONSENT_CATEGORY),
                // narrower beats broader, whatever the order recorded
                Arguments.of("all:dissent@2 service:consent@1", OPT_OUT, true, ConsentReason.CONSENT_SERVICE),
                Arguments.of("all:consent@2 service:dissent@1", OPT_IN, false, ConsentReason.DISSENT_SERVICE),
                Arguments.of("all:dissent@2 category:consent@1", OPT_OUT, true, ConsentReason.CONSENT_CATEGORY),
                Arguments.of("category:dissent@2 service:consent@1", OPT_OUT, true, ConsentReason.CONSENT_SERVICE),
                Arguments.of("category:consent@2 service:dissent@1", OPT_IN, false, ConsentReason.DISSENT_SERVICE),
                // same scope: the most recently recorded wins
                Arguments.of("all:dissent@1 all:consent@2", OPT_OUT, true, ConsentReason.CONSENT_ALL),
                Arguments.of("all:consent@1 all:dissent@2", OPT_IN, false, ConsentReason.DISSENT_ALL),
                Arguments.of("service:dissent@2 service:consent@1", OPT_OUT, false, ConsentReason.DISSENT_SERVICE),
                Arguments.of("category:consent@1 category:dissent@2", OPT_OUT, false,
                        ConsentReason.DISSENT_CATEGORY));
    }

    @ParameterizedTest(name = "[{0}] {1} -> share={2} {3}")
    @MethodSource("precedence")
    void precedenceTable(String spec, ServiceConsentModel model, boolean share, ConsentReason reason) {
        ConsentDecision d = ConsentDecider.decide(directives(spec), model, SERVICE, CATEGORIES, NOW);

        assertThat(d.share()).isEqualTo(share);
        assertThat(d.reason()).isEqualTo(reason);
        assertThat(d.sentence()).isNotBlank().doesNotContain(NHS);
    }

    @Test
    void directivesForOtherServicesAndCategoriesDoNotApply() {
        List<ConsentDirective> list = List.of(
                directive(ConsentScope.SERVICE, "aintree-ae", DISSENT, "2026-01-01", null),
                directive(ConsentScope.CATEGORY, "research", DISSENT, "2026-01-01", null));

        ConsentDecision d = ConsentDecider.decide(list, OPT_OUT, SERVICE, CATEGORIES, NOW);

        assertThat(d.share()).isTrue();
        assertThat(d.reason()).isEqualTo(ConsentReason.NO_DIRECTIVE_OPT_OUT);
        assertThat(ConsentDecider.decide(list, OPT_OUT, "aintree-ae", Set.of(), NOW).reason())
                .isEqualTo(ConsentReason.DISSENT_SERVICE);
        assertThat(ConsentDecider.decide(list, OPT_OUT, "planning", Set.of("RESEARCH"), NOW).reason())
                .as("categories compare without regard to case").isEqualTo(ConsentReason.DISSENT_CATEGORY);
    }

    @Test
    void effectiveWindowsAreWholeDaysInEnglandBothEndsInclusive() {
        List<ConsentDirective> list = List.of(
                directive(ConsentScope.ALL, null, DISSENT, "2026-03-01", "2026-03-31"));

        // 2026-02-28T23:30Z is still 28 February in London (GMT); 2026-03-31T23:30Z is 1 April (BST).
        assertThat(share(list, "2026-02-28T23:30:00Z")).isTrue();
        assertThat(share(list, "2026-02-28T23:59:59Z")).isTrue();
        assertThat(share(list, "2026-03-01T00:00:00Z")).isFalse();
        assertThat(share(list, "2026-03-31T22:59:59Z")).isFalse();
        assertThat(share(list, "2026-03-31T23:00:00Z")).as("already 1 April in London").isTrue();
    }

    @Test
    void anExpiredOrNotYetEffectiveDirectiveFallsBackToTheModel() {
        List<ConsentDirective> expired = List.of(directive(ConsentScope.ALL, null, CONSENT, "2025-01-01",
                "2025-12-31"));
        List<ConsentDirective> future = List.of(directive(ConsentScope.ALL, null, DISSENT, "2027-01-01", null));

        assertThat(ConsentDecider.decide(expired, OPT_IN, SERVICE, CATEGORIES, NOW).reason())
                .isEqualTo(ConsentReason.NO_CONSENT_OPT_IN);
        assertThat(ConsentDecider.decide(future, OPT_OUT, SERVICE, CATEGORIES, NOW).reason())
                .isEqualTo(ConsentReason.NO_DIRECTIVE_OPT_OUT);
    }

    @Test
    void anExpiredNarrowDirectiveLetsABroaderOneDecide() {
        List<ConsentDirective> list = List.of(
                directive(ConsentScope.ALL, null, DISSENT, "2026-01-01", null),
                directive(ConsentScope.SERVICE, SERVICE, CONSENT, "2026-01-01", "2026-05-31"));

        assertThat(ConsentDecider.decide(list, OPT_OUT, SERVICE, CATEGORIES,
                Instant.parse("2026-05-31T12:00:00Z")).reason()).isEqualTo(ConsentReason.CONSENT_SERVICE);
        assertThat(ConsentDecider.decide(list, OPT_OUT, SERVICE, CATEGORIES, NOW).reason())
                .isEqualTo(ConsentReason.DISSENT_ALL);
    }

    @Test
    void anEndedDirectiveAppliesOnlyBeforeItEnded() {
        ConsentDirective d = directive(ConsentScope.ALL, null, DISSENT, "2026-01-01", null);
        Instant ended = Instant.parse("2026-06-01T12:00:00Z");
        ConsentDirective endedOne = new ConsentDirective(d.id(), d.nhsNumber(), d.scope(), d.scopeValue(), d.choice(),
                d.effectiveFrom(), d.effectiveTo(), d.source(), d.sourceId(), d.recordedBy(), d.reason(),
                d.recordedAt(), null, null, ended, "admin", "withdrawn", null);

        assertThat(share(List.of(endedOne), "2026-06-01T11:59:59Z")).isFalse();
        assertThat(share(List.of(endedOne), "2026-06-01T12:00:00Z")).isTrue();
    }

    @Test
    void sameScopeAndSameRecordingTimeIsDecidedByTheLaterEffectiveDay() {
        List<ConsentDirective> list = List.of(
                directive(ConsentScope.ALL, null, CONSENT, "2026-02-01", null),
                directive(ConsentScope.ALL, null, DISSENT, "2026-01-01", null));

        assertThat(ConsentDecider.decide(list, OPT_OUT, SERVICE, CATEGORIES, NOW).reason())
                .isEqualTo(ConsentReason.CONSENT_ALL);
    }

    @Test
    void sentencesSayWhatWhenAndWhoWithoutTheNhsNumber() {
        ConsentDirective byPractice = ConsentDirective.builder("943 476 5919", ConsentScope.ALL, null, DISSENT,
                        LocalDate.parse("2026-03-01"))
                .source(DirectiveSource.PRACTICE, "N81013").recordedBy("Dr Example").recordedAt(T1).build();
        ConsentDirective byPatient = ConsentDirective.builder(NHS, ConsentScope.SERVICE, "planning-feed", CONSENT,
                        LocalDate.parse("2026-01-15"))
                .effectiveTo(LocalDate.parse("2027-01-14"))
                .source(DirectiveSource.PATIENT, null).recordedBy("web form").recordedAt(T1).build();
        ConsentDirective byClinician = ConsentDirective.builder(NHS, ConsentScope.CATEGORY, "research", DISSENT,
                        LocalDate.parse("2026-02-02"))
                .source(DirectiveSource.CLINICIAN, "C1234567").recordedBy("ward clerk").recordedAt(T1).build();

        assertThat(ConsentDecider.decide(List.of(byPractice), OPT_OUT, SERVICE, CATEGORIES, NOW).sentence())
                .isEqualTo("dissent from all sharing recorded 2026-03-01 by practice N81013");
        assertThat(DirectiveSentence.of(byPatient)).isEqualTo(
                "consent to sharing with service planning-feed recorded 2026-01-15 by the patient, "
                        + "in effect until 2027-01-14");
        assertThat(DirectiveSentence.of(byClinician))
                .isEqualTo("dissent from sharing with research services recorded 2026-02-02 by clinician C1234567");
        assertThat(ConsentDecider.decide(List.of(), OPT_OUT, SERVICE, CATEGORIES, NOW).sentence())
                .isEqualTo("no dissent recorded, and service diabetes-partnership shares unless the patient "
                        + "dissents (opt-out)");
        assertThat(ConsentDecider.decide(List.of(), OPT_IN, "planning-feed", Set.of(), NOW).sentence())
                .isEqualTo("no recorded consent applies, and service planning-feed shares only with consent "
                        + "(opt-in)");
        assertThat(byPractice.toString()).doesNotContain(NHS).contains("dissent all");
    }

    @Test
    void theDecisionNamesTheDirectiveThatDecidedIt() {
        List<ConsentDirective> list = directives("all:dissent@1 service:consent@2");

        assertThat(ConsentDecider.decide(list, OPT_OUT, SERVICE, CATEGORIES, NOW).directiveId()).isEqualTo(2L);
        assertThat(ConsentDecider.decide(List.of(), OPT_OUT, SERVICE, CATEGORIES, NOW).directiveId()).isNull();
    }

    @Test
    void aDirectiveRefusesAnInvalidNhsNumberWithoutQuotingIt() {
        assertThatThrownBy(() -> ConsentDirective.builder("9434765918", ConsentScope.ALL, null, DISSENT,
                LocalDate.parse("2026-01-01")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nhs_number fails the Modulus 11 check");
        assertThatThrownBy(() -> ConsentDirective.builder(NHS, ConsentScope.SERVICE, " ", DISSENT,
                LocalDate.parse("2026-01-01")).build())
                .hasMessage("scope_value is required when scope is service");
    }

    @Test
    void modelsAreReadAsServiceFilesSpellThem() {
        assertThat(ServiceConsentModel.fromWord("opt-out")).isEqualTo(OPT_OUT);
        assertThat(ServiceConsentModel.fromWord("OPT_IN")).isEqualTo(OPT_IN);
        assertThat(ServiceConsentModel.fromWord("optin")).isNull();
    }

    private static boolean share(List<ConsentDirective> list, String at) {
        return ConsentDecider.decide(list, OPT_OUT, SERVICE, CATEGORIES, Instant.parse(at)).share();
    }

    private static ConsentDirective directive(ConsentScope scope, String value, ConsentChoice choice, String from,
                                              String to) {
        return ConsentDirective.builder(NHS, scope, value, choice, LocalDate.parse(from))
                .effectiveTo(to == null ? null : LocalDate.parse(to))
                .source(DirectiveSource.PRACTICE, "N81013").recordedBy("test").recordedAt(T1).build().withId(1);
    }
}
