package org.ilinks.governance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.ServiceDefinition.Governance;
import org.ilinks.config.ServiceDefinition.UnverifiedNhsNumber;
import org.ilinks.governance.consent.ConsentChange;
import org.ilinks.governance.consent.ConsentCodeMatcher;
import org.ilinks.governance.consent.ConsentDecider;
import org.ilinks.governance.consent.ConsentDecision;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.minimise.Change;
import org.ilinks.governance.minimise.MinimisedMessage;
import org.ilinks.governance.minimise.Minimiser;
import org.ilinks.governance.restricted.Filtered;
import org.ilinks.governance.restricted.Removal;
import org.ilinks.governance.restricted.RestrictedDataFilter;
import org.ilinks.governance.restricted.Scan;
import org.ilinks.hl7.Hl7Inspector;
import org.ilinks.hl7.Hl7Text;

/**
 * Decides, for one message, what each service receives and why: the rules of information governance in the order
 * they apply. For each service:
 * <ol>
 *   <li>subscription: message type, sending facility, registered practice (PD1-3), patient class (PV1-2);</li>
 *   <li>protection: a record with PD1-12 = Y goes only to services declared to receive protected records;</li>
 *   <li>identity: without a verified NHS number the service's {@code unverifiedNhsNumber} says send or hold;</li>
 *   <li>consent: the patient's directives against the service's model (opt-out or opt-in) and categories;</li>
 *   <li>restricted data: coded entries in categories the service is not authorised for are removed, with what
 *       hangs off them; a message left with no clinical content is withheld;</li>
 *   <li>minimisation: only what the service's profile allows, transformed as it says.</li>
 * </ol>
 * Pure: it reads no store and writes nothing, so {@code try} and the running engine decide alike. The caller
 * supplies the patient's consent directives (from the registry, or from a CSV for {@code try}).
 */
public final class Governor {

    private final GovernanceConfig config;
    private final Clock clock;
    private final Hl7Inspector inspector;
    private final ConsentCodeMatcher consentCodes;
    private final RestrictedDataFilter restrictedData;
    private final java.util.Map<String, String> profileVersions = new java.util.HashMap<>();

    public Governor(GovernanceConfig config, Hl7Inspector inspector, Clock clock) {
        this.config = config;
        this.inspector = inspector;
        this.clock = clock;
        this.consentCodes = new ConsentCodeMatcher(config.consentCodes());
        this.restrictedData = new RestrictedDataFilter(config.restrictedCodes());
        // Hashed when the configuration is loaded, so the version named is the one the copies are cut with.
        config.profiles().forEach((id, profile) -> profileVersions.put(id, fileHash(profile.file())));
    }

    private static String fileHash(java.nio.file.Path file) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(file));
            return "sha256:" + java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            return "unknown";
        }
    }

    public GovernanceConfig config() {
        return config;
    }

    /** A short hash of the service's profile file as loaded: which version of the profile a copy was cut with. */
    public String profileVersion(ServiceDefinition service) {
        return profileVersions.getOrDefault(service.id(), "unknown");
    }

    /** The facts governance decides on. */
    public PatientFacts facts(byte[] raw) {
        return PatientFacts.read(raw, inspector, config.traceStatusRequired());
    }

    /**
     * The JMS group that keeps this message's patient in order (as intake set it), or null when the message names no
     * patient.
     */
    public String patientGroup(byte[] raw) {
        String key = inspector.inspect(raw).patientKey();
        return key == null ? null : org.ilinks.message.PatientGroups.of(key);
    }

    /** Consent directives the message itself records or ends, through configured consent codes. */
    public List<ConsentChange> consentChanges(byte[] raw, String messageId, Instant received) {
        return consentCodes.match(raw, messageId, received);
    }

    /**
     * @param directives the patient's directives, already including any this message records (see
     *                   {@link #consentChanges}); empty when the patient has no NHS number
     * @param at         the moment consent is judged at: now
     * @return one outcome per configured service, in configuration order
     */
    public List<ServiceOutcome> decide(byte[] raw, PatientFacts facts, List<ConsentDirective> directives, Instant at) {
        return decide(raw, facts, directives, at, java.util.Set.of());
    }

    /**
     * As {@link #decide(byte[], PatientFacts, List, Instant)}, for a replay: the services named in {@code released}
     * had the message held for an unverified NHS number, and a support user releasing it is the release their
     * {@code unverifiedNhsNumber: hold} waits for. Every other rule applies as ever.
     */
    public List<ServiceOutcome> decide(byte[] raw, PatientFacts facts, List<ConsentDirective> directives, Instant at,
                                       java.util.Set<String> released) {
        String text = Hl7Text.decode(raw, facts.charset());
        // Scanned once: most messages hold no restricted code, and then no service's copy needs cutting.
        Scan restricted = restrictedData.scan(text);
        List<ServiceOutcome> outcomes = new ArrayList<>();
        for (ServiceDefinition service : config.services()) {
            outcomes.add(decide(text, restricted, facts, directives, at, service, released.contains(service.id())));
        }
        return outcomes;
    }

    private ServiceOutcome decide(String text, Scan restricted, PatientFacts facts, List<ConsentDirective> directives,
                                  Instant at, ServiceDefinition service, boolean released) {
        String id = service.id();
        String whyNot = service.subscription().whyNot(facts.header().messageType(), facts.header().triggerEvent(),
                facts.header().sendingFacility(), facts.registeredPractices(), facts.patientClass());
        if (whyNot != null) {
            return ServiceOutcome.without(service, Outcome.NOT_SUBSCRIBED, "NOT_SUBSCRIBED", whyNot);
        }
        Governance rules = service.governance();
        if (facts.protectedRecord() && !rules.protectedRecords()) {
            return ServiceOutcome.without(service, Outcome.WITHHELD, "PROTECTED_RECORD", "the record is protected "
                    + "(PD1-12 = Y) and service " + id + " is not declared to receive protected records");
        }
        if (facts.nhsNumberState() != NhsNumberState.VERIFIED && rules.unverifiedNhsNumber() == UnverifiedNhsNumber.HOLD
                && !released) {
            return ServiceOutcome.without(service, Outcome.HELD, "NHS_NUMBER_" + facts.nhsNumberState().name(),
                    facts.nhsNumberProblem() + "; service " + id + " holds such messages until support releases them");
        }
        ConsentDecision consent = consent(facts, directives, at, service);
        if (!consent.share()) {
            return ServiceOutcome.without(service, Outcome.WITHHELD, consent.reason().name(), consent.sentence());
        }
        List<String> changes = new ArrayList<>();
        String allowed = text;
        if (restricted.restricted()) {
            Filtered filtered = restricted.removeFor(rules.restrictedData());
            if (filtered.clinicalContentRemoved()) {
                return ServiceOutcome.without(service, Outcome.WITHHELD, "RESTRICTED_CONTENT_ONLY", "all of the "
                        + "message's clinical content is legally restricted (" + String.join(", ",
                        filtered.removals().stream().flatMap(r -> r.categories().stream()).distinct().sorted().toList())
                        + ") and service " + id + " is not authorised for it");
            }
            for (Removal r : filtered.removals()) {
                changes.add(r.segment() + ": removed as restricted data (" + String.join(", ", r.categories()) + ")"
                        + (r.segmentsRemoved() > 1 ? " with " + (r.segmentsRemoved() - 1) + " segment(s) under it" : ""));
            }
            allowed = filtered.message();
        }
        MinimisedMessage minimised = new Minimiser(config.profileFor(service), clock).minimise(allowed, facts.charset());
        minimised.changes().stream().map(Change::toString).forEach(changes::add);
        return new ServiceOutcome(service, Outcome.SEND, consent.reason().name(), consent.sentence(), minimised,
                changes);
    }

    private static ConsentDecision consent(PatientFacts facts, List<ConsentDirective> directives, Instant at,
                                           ServiceDefinition service) {
        Governance rules = service.governance();
        if (facts.nhsNumber() == null) {
            // No NHS number, so no directive can be found: the model alone decides, and the reason says so.
            return ConsentDecider.withoutPatient(rules.consentModel(), service.id(), facts.nhsNumberProblem());
        }
        return ConsentDecider.decide(directives, rules.consentModel(), service.id(), rules.categories(), at);
    }
}
