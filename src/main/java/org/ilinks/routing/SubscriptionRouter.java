package org.ilinks.routing;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.message.LogSafe;
import org.ilinks.message.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which services receive a message, from their subscriptions (message type and trigger, sending facility),
 * and names their queues in {@link MessageHeaders#RECIPIENTS} for the routing route's recipient list. The set of
 * services is swapped whole on reload, so a message is routed against one consistent configuration.
 */
public final class SubscriptionRouter {

    /** Exchange property: true when no service subscribes to the message. */
    public static final String UNROUTED = "ilinksUnrouted";

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionRouter.class);

    private final AtomicReference<List<ServiceDefinition>> services = new AtomicReference<>(List.of());

    public void useServices(List<ServiceDefinition> current) {
        services.set(List.copyOf(current));
    }

    public void route(Exchange exchange) {
        Message in = exchange.getIn();
        String type = in.getHeader(MessageHeaders.MESSAGE_TYPE, "", String.class);
        String trigger = in.getHeader(MessageHeaders.TRIGGER_EVENT, "", String.class);
        String facility = in.getHeader(MessageHeaders.SENDING_FACILITY, "", String.class);
        List<ServiceDefinition> matching = services.get().stream()
                .filter(s -> s.subscription().matches(type, trigger, facility))
                .toList();
        exchange.setProperty(UNROUTED, matching.isEmpty());
        if (matching.isEmpty()) {
            LOG.info("Message {} ({}^{} from {}) matches no service subscription: not routed",
                    in.getHeader(MessageHeaders.MESSAGE_ID), LogSafe.id(type), LogSafe.id(trigger), LogSafe.id(facility));
            in.removeHeader(MessageHeaders.RECIPIENTS);
            return;
        }
        in.setHeader(MessageHeaders.RECIPIENTS, matching.stream()
                .map(s -> "jms:queue:" + s.queueName())
                .collect(Collectors.joining(",")));
        LOG.debug("Message {} routed to {}", in.getHeader(MessageHeaders.MESSAGE_ID),
                matching.stream().map(ServiceDefinition::id).collect(Collectors.joining(", ")));
    }
}
