package org.ilinks.governance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditTrail;
import org.ilinks.engine.MessageCounters;
import org.ilinks.governance.consent.ConsentChange;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.history.HistoryRecorder;
import org.ilinks.history.MessageRecord;
import org.ilinks.message.LogSafe;
import org.ilinks.message.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Information governance on the way from intake to the services, named {@code governance} by the routing route.
 * {@link #apply} records what the message's consent codes say, decides for every service (see {@link Governor}),
 * records each decision, and leaves the copies to queue in {@link #COPIES}; the route then sends each one with
 * {@link #prepare}, inside the same JMS transaction as taking the message off the intake queue.
 */
public final class GovernanceStep {

    /** Exchange property: the {@link Copy} list for the route's split. */
    public static final String COPIES = "ilinksCopies";
    /** Exchange property set by {@link #prepare}: the queue the copy goes to. */
    public static final String COPY_QUEUE = "ilinksCopyQueue";
    /** Header on a held copy: why it is held, in words. */
    public static final String HELD_REASON = "ilinksHeldReason";

    /** Where a message goes that governance itself cannot process, with the reason, for support to look at. */
    public static final String INTAKE_PARKED_QUEUE = "ilinks.intake.parked";

    private static final Logger LOG = LoggerFactory.getLogger(GovernanceStep.class);

    /** One copy to queue: the minimised message for a service, or the original held back for it. */
    public record Copy(String serviceId, String queue, byte[] body, String heldReason) {
    }

    private final AtomicReference<Governor> governor;
    private final ConsentRegistry registry;
    private final DecisionStore decisions;
    private final Clock clock;
    private final AuditTrail audit;
    private final HistoryRecorder history;
    private final MessageCounters counters;

    public GovernanceStep(Governor governor, ConsentRegistry registry, DecisionStore decisions, Clock clock,
                          AuditTrail audit, HistoryRecorder history, MessageCounters counters) {
        this.history = history;
        this.counters = counters;
        this.governor = new AtomicReference<>(governor);
        this.registry = registry;
        this.decisions = decisions;
        this.clock = clock;
        this.audit = audit;
    }

    /** Swaps in a reloaded configuration whole, so that one message is governed by one consistent configuration. */
    public void use(Governor next) {
        governor.set(next);
    }

    public Governor current() {
        return governor.get();
    }

    public void apply(Exchange exchange) {
        Message in = exchange.getIn();
        byte[] raw = in.getBody(byte[].class);
        String messageId = in.getHeader(MessageHeaders.MESSAGE_ID, String.class);
        Long receivedAt = in.getHeader(MessageHeaders.RECEIVED_AT, Long.class);
        Governor g = governor.get();
        PatientFacts facts;
        try {
            facts = g.facts(raw);
        } catch (RuntimeException e) {
            park(exchange, messageId, raw, "facts", e);
            return;
        }
        List<ConsentDirective> directives = List.of();
        if (facts.nhsNumber() != null) {
            List<ConsentChange> changes = g.consentChanges(raw, messageId,
                    receivedAt == null ? clock.instant() : Instant.ofEpochMilli(receivedAt));
            if (!changes.isEmpty()) {
                int applied = registry.apply(changes);
                LOG.info("Message {} carries {} consent code(s) ({}): {} directive change(s) recorded", messageId,
                        changes.size(), changes.stream().map(ConsentChange::foundIn).collect(Collectors.joining(", ")),
                        applied);
            }
            directives = registry.directivesFor(facts.nhsNumber());
        }
        Instant now = clock.instant();
        List<ServiceOutcome> outcomes;
        try {
            outcomes = g.decide(raw, facts, directives, now);
        } catch (RuntimeException e) {
            park(exchange, messageId, raw, "decide", e);
            return;
        }
        boolean subscribed = outcomes.stream().anyMatch(o -> o.outcome() != Outcome.NOT_SUBSCRIBED);
        // The message's history record and content go in the same database transaction as its decisions.
        MessageRecord record = history.arrival(in, raw,
                subscribed ? MessageRecord.Routing.ROUTED : MessageRecord.Routing.NO_SUBSCRIBER, null, now);
        decisions.recordRouting(messageId, facts.nhsNumber(), outcomes, now, record::write);
        audit(exchange, g, messageId, facts, outcomes);
        List<Copy> copies = new ArrayList<>();
        for (ServiceOutcome o : outcomes) {
            switch (o.outcome()) {
                case SEND -> {
                    copies.add(new Copy(o.service().id(), o.service().queueName(), o.message().bytes(), null));
                    counters.routed(o.service().id());
                }
                case HELD -> {
                    counters.routed(o.service().id());
                    copies.add(new Copy(o.service().id(), o.service().heldQueueName(), raw, o.reason()));
                    LOG.info("Message {} held for {}: {}", messageId, o.service().id(), o.reasonCode());
                }
                case WITHHELD -> LOG.info("Message {} withheld from {}: {}", messageId, o.service().id(), o.reasonCode());
                case NOT_SUBSCRIBED -> { }
            }
        }
        if (outcomes.stream().allMatch(o -> o.outcome() == Outcome.NOT_SUBSCRIBED)) {
            LOG.info("Message {} ({}^{} from {}) matches no service subscription: not routed", messageId,
                    LogSafe.id(facts.header().messageType()), LogSafe.id(facts.header().triggerEvent()),
                    LogSafe.id(facts.header().sendingFacility()));
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("Message {} queued for {}", messageId, copies.stream().filter(c -> c.heldReason() == null)
                    .map(Copy::serviceId).collect(Collectors.joining(", ")));
        }
        exchange.setProperty(COPIES, copies);
    }

    /** The decision for each subscribing service, what was removed and changed, and where the copy went. */
    private void audit(Exchange exchange, Governor g, String messageId, PatientFacts facts,
                       List<ServiceOutcome> outcomes) {
        String nhs = facts.nhsNumber();
        for (ServiceOutcome o : outcomes) {
            if (o.outcome() == Outcome.NOT_SUBSCRIBED) {
                continue;
            }
            String service = o.service().id();
            String type = facts.header().messageType() + "^" + facts.header().triggerEvent();
            audit.add(exchange, audit.engineEvent(AuditEventType.CONSENT_DECISION, AuditEvent.SUCCESS, null, nhs,
                    messageId, service, o.reasonCode() + ": " + o.reason()));
            switch (o.outcome()) {
                case SEND -> {
                    List<String> restricted = o.changes().stream().filter(c -> c.contains("restricted data")).toList();
                    if (!restricted.isEmpty()) {
                        audit.add(exchange, audit.engineEvent(AuditEventType.RESTRICTED_REMOVED, AuditEvent.SUCCESS,
                                null, nhs, messageId, service, String.join("; ", restricted)));
                    }
                    audit.add(exchange, audit.engineEvent(AuditEventType.MINIMISED, AuditEvent.SUCCESS, null, nhs,
                            messageId, service, "profile " + service + " (" + g.profileVersion(o.service())
                                    + "): " + (o.changes().size() - restricted.size()) + " change(s)"));
                    audit.add(exchange, audit.engineEvent(AuditEventType.QUEUED, AuditEvent.SUCCESS, null, nhs,
                            messageId, service, type + " queued on " + o.service().queueName()));
                }
                case WITHHELD -> audit.add(exchange, audit.engineEvent(AuditEventType.WITHHELD, AuditEvent.SUCCESS,
                        null, nhs, messageId, service, type + " withheld: " + o.reasonCode() + ": " + o.reason()));
                case HELD -> audit.add(exchange, audit.engineEvent(AuditEventType.HELD, AuditEvent.MINOR_FAILURE,
                        null, nhs, messageId, service, type + " held: " + o.reasonCode() + ": " + o.reason()));
                case NOT_SUBSCRIBED -> { }
            }
        }
    }

    /**
     * A message the rules cannot be applied to (a defect, since intake accepted it) would fail the same way on every
     * retry and hold up its patient's later messages: it is parked instead, in the same transaction, and nothing
     * is sent to any service. Store and broker failures are not caught here; routing retries those.
     */
    private void park(Exchange exchange, String messageId, byte[] raw, String stage, RuntimeException e) {
        String reason = "governance could not be applied (" + stage + "): " + e.getClass().getSimpleName()
                + "; nothing was sent to any service";
        LOG.warn("Message {} parked on {}: {}", messageId, INTAKE_PARKED_QUEUE, reason);
        audit.add(exchange, audit.engineEvent(AuditEventType.PARKED, AuditEvent.SERIOUS_FAILURE, null, null, messageId,
                null, reason + " (on " + INTAKE_PARKED_QUEUE + ")"));
        history.parkedAtRouting(exchange.getIn(), raw, reason, clock.instant());
        exchange.getIn().setHeader(org.ilinks.message.MessageHeaders.PARKED_REASON, reason);
        exchange.getIn().setHeader(org.ilinks.message.MessageHeaders.PARKED_AT, clock.millis());
        exchange.setProperty(COPIES, List.of(new Copy(null, INTAKE_PARKED_QUEUE, raw, null)));
    }

    /** Turns one {@link Copy} (the split's body) into the message to queue. */
    public void prepare(Exchange exchange) {
        Copy copy = exchange.getIn().getBody(Copy.class);
        exchange.setProperty(COPY_QUEUE, copy.queue());
        exchange.getIn().setBody(copy.body());
        if (copy.heldReason() != null) {
            exchange.getIn().setHeader(HELD_REASON, copy.heldReason());
        }
    }
}
