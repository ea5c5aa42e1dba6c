package org.ilinks.governance.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.ilinks.governance.GovernanceConfig;
import org.ilinks.support.TestDatabase;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operations the CLI and the admin API call, over a real registry on H2 and (when a server answers on
 * 127.0.0.1:5432) PostgreSQL, and a real governance configuration with an opt-out and an opt-in service.
 */
class ConsentOperationsTest {

    private static final String NHS = "9434765919";
    private static final String OTHER = "9434765870";
    private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path tmp;
    GovernanceConfig config;

    @BeforeEach
    void config() {
        TestEngine layout = new TestEngine(tmp.resolve("layout"));
        layout.service("ward.yaml", "id: ward\ndescription: an opt-out ward\nsubscribe:\n  messageTypes: [\"ADT^A01\"]\n"
                + "governance:\n  consent: opt-out\n  categories: [direct-care]\n  unverifiedNhsNumber: send\n"
                + "  protectedRecords: receive\nendpoint:\n  folder:\n    path: out/ward\n");
        layout.service("study.yaml", "id: study\ndescription: an opt-in study\nsubscribe:\n  messageTypes: [\"ADT^A01\"]\n"
                + "governance:\n  consent: opt-in\n  categories: [research]\n  unverifiedNhsNumber: send\n"
                + "  protectedRecords: withhold\nendpoint:\n  folder:\n    path: out/study\n");
        GovernanceConfig.Loaded loaded = GovernanceConfig.load(layout.settings());
        assertThat(loaded.config().services()).as(loaded.problems().toString()).hasSize(2);
        config = loaded.config();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void recordsListsDecidesAndEnds(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            ConsentOperations ops = new ConsentOperations(db.database().dataSource(), () -> config, CLOCK);

            ConsentDirective dissent = ops.record(request("943 476 5919", "all", "", "dissent", "2026-03-01", "",
                    "practice", "N81013", "Dr A Example", "asked at surgery"));
            ConsentDirective consent = ops.record(request(NHS, "Category", "research", "CONSENT", "2026-01-01",
                    "2026-12-31", "patient", null, "web form", null));
            ops.record(request(OTHER, "service", "ward", "dissent", "2026-01-01", null, "clinician", "C1", "x", null));

            assertThat(dissent.id()).isNotNull();
            assertThat(dissent.nhsNumber()).isEqualTo(NHS);
            assertThat(dissent.recordedAt()).isEqualTo(NOW);
            assertThat(dissent.importId()).isNull();
            assertThat(consent.scope()).isEqualTo(ConsentScope.CATEGORY);
            assertThat(consent.choice()).isEqualTo(ConsentChoice.CONSENT);
            assertThat(consent.effectiveTo()).isEqualTo(LocalDate.parse("2026-12-31"));
            assertThat(ops.directivesFor(NHS)).containsExactly(dissent, consent);
            assertThat(ops.stateOf(dissent)).isEqualTo(DirectiveState.OPEN);

            assertThat(ops.decisionFor(NHS, "ward").outcome()).isEqualTo("WITHHELD");
            assertThat(ops.decisionFor(NHS, "ward").decision().reason()).isEqualTo(ConsentReason.DISSENT_ALL);
            assertThat(ops.decisionFor(NHS, "ward").decision().directiveId()).isEqualTo(dissent.id());
            ServiceConsent study = ops.decisionFor(NHS, "study");
            assertThat(study.outcome()).as("the category consent is narrower than the dissent").isEqualTo("SEND");
            assertThat(study.model()).isEqualTo(ServiceConsentModel.OPT_IN);
            assertThat(study.decision().reason()).isEqualTo(ConsentReason.CONSENT_CATEGORY);
            assertThat(ops.decisionsFor(OTHER)).extracting(ServiceConsent::serviceId, ServiceConsent::outcome,
                            s -> s.decision().reason())
                    .as("in the configuration's order: by file name").containsExactly(
                            org.assertj.core.groups.Tuple.tuple("study", "WITHHELD", ConsentReason.NO_CONSENT_OPT_IN),
                            org.assertj.core.groups.Tuple.tuple("ward", "WITHHELD", ConsentReason.DISSENT_SERVICE));

            assertThat(ops.end(dissent.id(), " admin ", "withdrawn by the patient")).isTrue();
            assertThat(ops.end(dissent.id(), "admin", null)).as("already ended").isFalse();
            assertThat(ops.end(999_999L, "admin", null)).as("no such directive").isFalse();
            ConsentDirective ended = ops.directivesFor(NHS).get(0);
            assertThat(ended.endedAt()).isEqualTo(NOW);
            assertThat(ended.endedBy()).isEqualTo("admin");
            assertThat(ended.endReason()).isEqualTo("withdrawn by the patient");
            assertThat(ops.stateOf(ended)).isEqualTo(DirectiveState.ENDED);
            assertThat(ops.decisionFor(NHS, "ward").decision().reason()).isEqualTo(ConsentReason.NO_DIRECTIVE_OPT_OUT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void badInputNamesEveryWrongFieldButNeverItsValueAndRecordsNothing(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            ConsentOperations ops = new ConsentOperations(db.database().dataSource(), () -> config, CLOCK);

            assertThatThrownBy(() -> ops.record(request("9434765918", "everything", "x", "maybe", "2026-02-30",
                    "yesterday", "nurse", "", "", "")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("nhs_number fails the Modulus 11 check; scope must be all, service or category; "
                            + "decision must be dissent or consent; effective_from is not a date in the form "
                            + "yyyy-MM-dd; effective_to is not a date in the form yyyy-MM-dd; source_type must be "
                            + "practice, patient or clinician; recorded_by is empty")
                    .message().doesNotContain("9434765918").doesNotContain("everything").doesNotContain("nurse");
            assertThatThrownBy(() -> ops.record(request(NHS, "all", "ward", "dissent", "2026-03-01", "2026-02-01",
                    "practice", null, "Dr B", "x".repeat(2001))))
                    .hasMessage("scope_value must be empty when scope is all; effective_to is before effective_from; "
                            + "source_id is required when source_type is practice (the practice's ODS code); "
                            + "reason is longer than 2000 characters");
            assertThatThrownBy(() -> ops.record(request(null, null, null, null, null, null, null, null, null, null)))
                    .hasMessageStartingWith("nhs_number is empty; scope must be all, service or category;");
            assertThatThrownBy(() -> ops.record(request("12345", "service", "", "consent", "2026-03-01", null,
                    "patient", null, "me", null)))
                    .hasMessage("nhs_number is not 10 digits; scope_value is required when scope is service");
            assertThat(ops.directivesFor(NHS)).as("nothing recorded").isEmpty();

            assertThatThrownBy(() -> ops.directivesFor("9434765918")).hasMessage("nhs_number fails the Modulus 11 check");
            assertThatThrownBy(() -> ops.decisionFor(NHS, "nowhere")).hasMessage("service_id names no configured service");
            assertThatThrownBy(() -> ops.end(1, " ", null)).hasMessage("ended_by is empty");
            assertThatThrownBy(() -> ops.end(1, "a", "y".repeat(2001)))
                    .hasMessage("end_reason is longer than 2000 characters");
        }
    }

    @Test
    void theStateOfADirectiveFollowsItsDaysInEngland() {
        ConsentDirective d = ConsentDirective.builder(NHS, ConsentScope.ALL, null, ConsentChoice.DISSENT,
                        LocalDate.parse("2026-03-01"))
                .effectiveTo(LocalDate.parse("2026-06-30")).recordedBy("x").recordedAt(NOW).build();

        assertThat(DirectiveState.of(d, Instant.parse("2026-02-28T23:30:00Z"))).as("00:30 on 1 March is GMT")
                .isEqualTo(DirectiveState.PENDING);
        assertThat(DirectiveState.of(d, Instant.parse("2026-03-01T00:00:00Z"))).isEqualTo(DirectiveState.OPEN);
        assertThat(DirectiveState.of(d, Instant.parse("2026-06-30T22:59:00Z"))).as("23:59 BST on its last day")
                .isEqualTo(DirectiveState.OPEN);
        assertThat(DirectiveState.of(d, Instant.parse("2026-06-30T23:00:00Z"))).as("00:00 BST the day after")
                .isEqualTo(DirectiveState.EXPIRED);
        ConsentDirective ended = d.endedAt(Instant.parse("2026-04-01T12:00:00Z"), "a", null);
        assertThat(DirectiveState.of(ended, Instant.parse("2026-04-01T11:59:59Z"))).isEqualTo(DirectiveState.OPEN);
        assertThat(DirectiveState.of(ended, Instant.parse("2026-04-01T12:00:00Z"))).isEqualTo(DirectiveState.ENDED);
    }

    @Test
    void aRequestNeverShowsTheNhsNumber() {
        assertThat(request(NHS, "all", null, "dissent", "2026-03-01", null, "patient", null, "me", null).toString())
                .doesNotContain(NHS).contains("dissent all");
    }

    private static ConsentOperations.RecordRequest request(String nhs, String scope, String scopeValue, String decision,
                                                           String from, String to, String source, String sourceId,
                                                           String recordedBy, String reason) {
        return new ConsentOperations.RecordRequest(nhs, scope, scopeValue, decision, from, to, source, sourceId,
                recordedBy, reason);
    }
}
