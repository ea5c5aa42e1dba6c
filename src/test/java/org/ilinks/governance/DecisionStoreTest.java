package org.ilinks.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.governance.consent.ConsentChoice;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.governance.consent.ConsentScope;
import org.ilinks.governance.consent.DirectiveSource;
import org.ilinks.governance.consent.ServiceConsentModel;
import org.ilinks.support.TestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The routing_decision table on H2 and on PostgreSQL (when it answers): written at routing, read at delivery. */
class DecisionStoreTest {

    private static final String PATIENT = "9434765919";

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aRedeliveredMessageReplacesItsDecisionsAndDeliveryReadsThePatientsDirectives(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            DecisionStore store = new DecisionStore(db.database().dataSource());
            ConsentRegistry registry = new ConsentRegistry(db.database().dataSource());
            ServiceDefinition a = service("svc-a");
            ServiceDefinition b = service("svc-b");
            Instant now = Instant.parse("2026-11-26T10:00:00Z");

            store.recordRouting("M1", PATIENT, List.of(
                    new ServiceOutcome(a, Outcome.SEND, "NO_DIRECTIVE_OPT_OUT", "shared", null, List.of("ZPI: segment removed")),
                    ServiceOutcome.without(b, Outcome.NOT_SUBSCRIBED, "NOT_SUBSCRIBED", "not for it")), now);
            // routed again after a rollback: the newer decision replaces the first, no duplicate-key failure
            store.recordRouting("M1", PATIENT, List.of(
                    ServiceOutcome.without(a, Outcome.WITHHELD, "DISSENT_ALL", "dissent recorded"),
                    ServiceOutcome.without(b, Outcome.HELD, "NHS_NUMBER_NOT_VERIFIED", "held")), now);

            assertThat(store.decisionsFor("M1")).containsExactly(
                    new DecisionStore.Row("svc-a", "WITHHELD", "DISSENT_ALL", "dissent recorded", null, "ROUTING"),
                    new DecisionStore.Row("svc-b", "HELD", "NHS_NUMBER_NOT_VERIFIED", "held", null, "ROUTING"));

            // delivery: a copy with a decision but no directive yet -> present and empty; unknown copy -> absent
            assertThat(registry.directivesForQueuedCopy("M1", "svc-a"))
                    .hasValue(new ConsentRegistry.QueuedCopy(PATIENT, List.of()));
            assertThat(registry.directivesForQueuedCopy("M2", "svc-a")).isEmpty();
            registry.record(ConsentDirective.builder(PATIENT, ConsentScope.ALL, null, ConsentChoice.DISSENT,
                    LocalDate.of(2026, 11, 1)).source(DirectiveSource.PATIENT, null).recordedBy("test")
                    .recordedAt(now).build());
            assertThat(registry.directivesForQueuedCopy("M1", "svc-a")).get()
                    .satisfies(copy -> assertThat(copy.directives()).hasSize(1));

            store.withheldAtDelivery("M1", "svc-a", "DISSENT_ALL", "dissent recorded since", now);
            assertThat(store.decisionsFor("M1").get(0).stage()).isEqualTo("DELIVERY");

            // a message without an NHS number: nothing to look up at delivery
            store.recordRouting("M3", null, List.of(ServiceOutcome.without(a, Outcome.SEND, "NO_NHS_NUMBER_OPT_OUT",
                    "no NHS number")), now);
            assertThat(registry.directivesForQueuedCopy("M3", "svc-a")).isEmpty();
        }
    }

    private static ServiceDefinition service(String id) {
        return new ServiceDefinition(id, id, Path.of(id + ".yaml"),
                new ServiceDefinition.Subscription(List.of(ServiceDefinition.MessageTypePattern.parse("*")), List.of()),
                new ServiceDefinition.QueueEndpoint("trust." + id), new ServiceDefinition.DeliveryPolicy(1, 1, 0, 1, 0,
                        ServiceDefinition.WhenParked.CONTINUE),
                new ServiceDefinition.Governance(ServiceConsentModel.OPT_OUT, Set.of(), false,
                        ServiceDefinition.UnverifiedNhsNumber.SEND, Set.of()));
    }
}
