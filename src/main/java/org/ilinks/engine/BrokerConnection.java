package org.ilinks.engine;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.ilinks.config.Setting;
import org.ilinks.config.Settings;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.support.destination.DestinationResolver;

/**
 * The one JMS connection factory every route uses. It must be one object: a route consuming in a transaction and
 * sending to another queue joins the same local JMS transaction only when both sides use the same factory.
 */
public final class BrokerConnection implements AutoCloseable {

    private final ActiveMQConnectionFactory target;
    private final CachingConnectionFactory caching;
    private final DestinationResolver destinations = new QueueNames();

    private BrokerConnection(ActiveMQConnectionFactory target) {
        this.target = target;
        this.caching = new CachingConnectionFactory(target);
        caching.setSessionCacheSize(64);
        // Consumers are cached by the listener containers themselves (cacheLevelName=CACHE_CONSUMER).
        caching.setCacheConsumers(false);
        caching.setReconnectOnException(true);
    }

    public static BrokerConnection to(Settings settings) {
        String url = settings.get(Setting.BROKER_URL).isBlank() ? EmbeddedBroker.IN_VM_URL : settings.get(Setting.BROKER_URL);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        if (!settings.get(Setting.BROKER_USER).isBlank()) {
            factory.setUser(settings.get(Setting.BROKER_USER));
            factory.setPassword(settings.get(Setting.BROKER_PASSWORD));
        }
        // A persistent send returns only once the broker has it on disk: intake's AA depends on this.
        factory.setBlockOnDurableSend(true);
        factory.setBlockOnNonDurableSend(true);
        // With the broker gone, a send first waits out the failover timeout, then this call timeout: together they
        // must stay well inside a sender's usual 15 s ACK timeout (10 s + 5 s made the AE arrive just after it). A send
        // that times out on a slow but live broker gets AE and is re-sent; the duplicate check routes it once.
        factory.setCallTimeout(5_000);
        // While reconnecting to an external broker, give up on a send after 5 s so the sender gets AE, not silence.
        factory.setCallFailoverTimeout(5_000);
        factory.setReconnectAttempts(-1);
        factory.setRetryInterval(500);
        factory.setRetryIntervalMultiplier(2.0);
        factory.setMaxRetryInterval(10_000);
        return new BrokerConnection(factory);
    }

    /**
     * Names our queues without asking the broker, for the sends inside a hop's transaction. Artemis's own look-up is a
     * blocking round trip on every send (it was the largest wait of the routing and delivery threads after the commit
     * itself); our queues are created by the routes and the broker's address settings, so there is nothing to ask.
     */
    public DestinationResolver destinations() {
        return destinations;
    }

    /**
     * A JmsTemplate on the same factory as the routes, with persistent, transacted sends: inside a route's JMS
     * transaction it sends in that transaction's session (Spring binds it to the thread), outside one it commits its
     * own.
     */
    public org.springframework.jms.core.JmsTemplate transactedTemplate() {
        org.springframework.jms.core.JmsTemplate template = new org.springframework.jms.core.JmsTemplate(caching);
        template.setSessionTransacted(true);
        template.setDestinationResolver(destinations);
        template.setDeliveryPersistent(true);
        template.setExplicitQosEnabled(true);
        return template;
    }

    public ConnectionFactory connectionFactory() {
        return caching;
    }

    @Override
    public void close() {
        caching.destroy();
        target.close();
    }

    private static final class QueueNames implements DestinationResolver {
        private final java.util.Map<String, jakarta.jms.Destination> known = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public jakarta.jms.Destination resolveDestinationName(jakarta.jms.Session session, String name,
                                                              boolean pubSub) throws jakarta.jms.JMSException {
            if (!session.getTransacted()) {
                // Intake's send (the only one outside a transaction) keeps the look-up: with the broker gone it fails
                // after the failover timeout, where the send itself waits three times as long, and the sender must
                // have its AE inside its own ACK timeout (BrokerUnavailableTest).
                return pubSub ? session.createTopic(name) : session.createQueue(name);
            }
            return known.computeIfAbsent((pubSub ? "topic:" : "queue:") + name, k -> pubSub
                    ? org.apache.activemq.artemis.jms.client.ActiveMQDestination.createTopic(name)
                    : org.apache.activemq.artemis.jms.client.ActiveMQDestination.createQueue(name));
        }
    }
}
