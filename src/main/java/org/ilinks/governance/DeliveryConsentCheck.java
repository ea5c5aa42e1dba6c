package org.ilinks.governance;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditTrail;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.governance.consent.ConsentDecider;
import org.ilinks.governance.consent.ConsentDecision;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.message.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consent checked again just before delivery, named {@code deliveryConsent} by the delivery routes: a directive
 * recorded after a message was routed (while it waited in its service's queue, say during an outage) applies to it.
 * A copy it stops is recorded as withheld at delivery and leaves the queue undelivered. As a {@link Processor} it is
 * also the delivery routes' {@code onRedeliveryRef}: see {@link #process}.
 */
public final class DeliveryConsentCheck implements Processor {

    /** Exchange property: true when the copy must not be delivered. */
    public static final String WITHHELD = "ilinksWithheld";
    /** Exchange property the delivery route sets: the service being delivered to. */
    public static final String SERVICE_ID = "ilinksServiceId";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryConsentCheck.class);

    private final Supplier<GovernanceConfig> config;
    private final ConsentRegistry registry;
    private final DecisionStore decisions;
    private final Clock clock;
    private final AuditTrail audit;

    public DeliveryConsentCheck(Supplier<GovernanceConfig> config, ConsentRegistry registry, DecisionStore decisions,
                                Clock clock, AuditTrail audit) {
        this.audit = audit;
        this.config = config;
        this.registry = registry;
        this.decisions = decisions;
        this.clock = clock;
    }

    /**
     * Runs before each retry of a failed delivery. Camel retries only the step that failed, so without this the check
     * at the top of the route would not run again while a service is down, and a dissent recorded during the outage
     * would not stop the message. A copy stopped here ends its route without an error, so it leaves the queue
     * undelivered. When the registry cannot be read the retry goes ahead as before (the copy was allowed at its
     * first check), rather than leaving the queue unrecorded.
     */
    @Override
    public void process(Exchange exchange) {
        try {
            check(exchange);
        } catch (RuntimeException e) {
            LOG.warn("Consent could not be checked again before retrying message {}: {}",
                    exchange.getIn().getHeader(MessageHeaders.MESSAGE_ID), e.getClass().getSimpleName());
            return;
        }
        if (exchange.getProperty(WITHHELD, false, Boolean.class)) {
            // The route ends here, so its last step will not write the events: written now, in its transaction.
            audit.flush(exchange);
            exchange.setRouteStop(true);
        }
    }

    public void check(Exchange exchange) {
        exchange.setProperty(WITHHELD, false);
        String messageId = exchange.getIn().getHeader(MessageHeaders.MESSAGE_ID, String.class);
        String serviceId = exchange.getProperty(SERVICE_ID, String.class);
        if (messageId == null || serviceId == null) {
            return;
        }
        Optional<ServiceDefinition> service = config.get().services().stream()
                .filter(s -> s.id().equals(serviceId)).findFirst();
        if (service.isEmpty()) {
            return;
        }
        Optional<ConsentRegistry.QueuedCopy> copy = registry.directivesForQueuedCopy(messageId, serviceId);
        if (copy.isEmpty()) {
            return;
        }
        exchange.setProperty(AuditTrail.PATIENT, copy.get().nhsNumber());
        ServiceDefinition.Governance rules = service.get().governance();
        Instant now = clock.instant();
        ConsentDecision decision = ConsentDecider.decide(copy.get().directives(), rules.consentModel(), serviceId,
                rules.categories(), now);
        if (!decision.share()) {
            decisions.withheldAtDelivery(messageId, serviceId, decision.reason().name(),
                    decision.sentence() + " (recorded after the message was queued; checked at delivery)", now);
            exchange.setProperty(WITHHELD, true);
            audit.add(exchange, audit.engineEvent(AuditEventType.WITHHELD, AuditEvent.SUCCESS, null,
                    copy.get().nhsNumber(), messageId, serviceId, "withheld at delivery: " + decision.reason() + ": "
                            + decision.sentence()));
            LOG.info("Message {} withheld from {} at delivery: {}", messageId, serviceId, decision.reason());
        }
    }
}
