package org.ilinks.governance.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.ilinks.support.TestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The registry over JDBC, on H2 (the default) and on PostgreSQL (production) when a server answers on
 * 127.0.0.1:5432, each in a fresh database or schema.
 */
class ConsentRegistryTest {

    private static final String NHS = "9434765919";
    private static final String OTHER = "9434765870";
    private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void recordsListsEndsAndDecides(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            ConsentRegistry registry = new ConsentRegistry(db.database().dataSource());
            ConsentDirective dissent = registry.record(ConsentDirective.builder("943 476 5919", ConsentScope.ALL, null,
                            ConsentChoice.DISSENT, LocalDate.parse("2026-03-01"))
                    .source(DirectiveSource.PRACTICE, "N81013").recordedBy("Dr Example")
                    .reason("asked at surgery").recordedAt(Instant.parse("2026-03-01T09:00:00Z")).build());
            ConsentDirective consent = registry.record(ConsentDirective.builder(NHS, ConsentScope.SERVICE,
                            "aintree-ae", ConsentChoice.CONSENT, LocalDate.parse("2026-03-02"))
                    .effectiveTo(LocalDate.parse("2026-12-31"))
                    .source(DirectiveSource.PATIENT, null).recordedBy("web form")
                    .recordedAt(Instant.parse("2026-03-02T09:00:00Z")).sourceMessageId("01JTESTMESSAGE0000000000AB")
                    .build());
            registry.record(ConsentDirective.builder(OTHER, ConsentScope.CATEGORY, "research",
                            ConsentChoice.DISSENT, LocalDate.parse("2026-01-01"))
                    .source(DirectiveSource.CLINICIAN, "C1").recordedBy("x").recordedAt(NOW).build());

            List<ConsentDirective> listed = registry.directivesFor(NHS);

            assertThat(dissent.id()).isNotNull();
            assertThat(listed).containsExactly(dissent, consent);
            assertThat(listed.get(0).nhsNumber()).as("stored without spaces").isEqualTo(NHS);
            assertThat(listed.get(1).effectiveTo()).isEqualTo(LocalDate.parse("2026-12-31"));
            assertThat(listed.get(1).sourceId()).isNull();
            assertThat(listed.get(1).sourceMessageId()).isEqualTo("01JTESTMESSAGE0000000000AB");
            assertThat(listed.get(0).recordedAt()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));

            ConsentDecision toAe = registry.decide(NHS, ServiceConsentModel.OPT_OUT, "aintree-ae", Set.of(), NOW);
            ConsentDecision toNursing = registry.decide(NHS, ServiceConsentModel.OPT_OUT, "community-nursing",
                    Set.of("direct-care"), NOW);
            ConsentDecision other = registry.decide(OTHER, ServiceConsentModel.OPT_OUT, "planning",
                    Set.of("research"), NOW);
            assertThat(toAe.share()).isTrue();
            assertThat(toAe.reason()).isEqualTo(ConsentReason.CONSENT_SERVICE);
            assertThat(toNursing.share()).isFalse();
            assertThat(toNursing.sentence()).isEqualTo("dissent from all sharing recorded 2026-03-01 by practice "
                    + "N81013");
            assertThat(other.reason()).isEqualTo(ConsentReason.DISSENT_CATEGORY);

            Instant ended = Instant.parse("2026-06-01T00:00:00Z");
            assertThat(registry.end(dissent.id(), "admin", "withdrawn by the patient", ended, consent.id())).isTrue();
            assertThat(registry.end(dissent.id(), "admin", "again", NOW, null))
                    .as("an ended directive is not ended twice").isFalse();
            ConsentDirective afterEnd = registry.directivesFor(NHS).get(0);
            assertThat(afterEnd.endedAt()).isEqualTo(ended);
            assertThat(afterEnd.endedBy()).isEqualTo("admin");
            assertThat(afterEnd.endReason()).isEqualTo("withdrawn by the patient");
            assertThat(afterEnd.supersededBy()).isEqualTo(consent.id());
            assertThat(registry.decide(NHS, ServiceConsentModel.OPT_OUT, "community-nursing", Set.of(), NOW).reason())
                    .isEqualTo(ConsentReason.NO_DIRECTIVE_OPT_OUT);
            assertThat(registry.decide(NHS, ServiceConsentModel.OPT_OUT, "community-nursing", Set.of(),
                    Instant.parse("2026-05-31T12:00:00Z")).reason())
                    .as("before it ended it applied").isEqualTo(ConsentReason.DISSENT_ALL);

            assertThat(registry.endMatching(OTHER, ConsentScope.CATEGORY, "RESEARCH", ConsentChoice.DISSENT,
                    "HL7 message", "withdrawn", NOW)).isEqualTo(1);
            assertThat(registry.endMatching(OTHER, ConsentScope.CATEGORY, "research", ConsentChoice.DISSENT,
                    "HL7 message", "withdrawn", NOW)).isZero();
            assertThat(registry.directivesFor("9876543210")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void refusesAnInvalidNhsNumberWithoutQuotingIt(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            ConsentRegistry registry = new ConsentRegistry(db.database().dataSource());

            assertThatThrownBy(() -> registry.directivesFor("9434765918"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("nhs_number fails the Modulus 11 check");
            assertThatThrownBy(() -> registry.decide("12345", ServiceConsentModel.OPT_OUT, "s", Set.of(), NOW))
                    .hasMessageNotContaining("12345");
        }
    }
}
