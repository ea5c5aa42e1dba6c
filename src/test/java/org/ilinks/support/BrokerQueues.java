package org.ilinks.support;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;

/**
 * Asks the Artemis broker itself how many messages a queue holds, through its management address. Unlike browsing
 * ({@link org.ilinks.engine.QueueCounts}), this includes messages already handed to a consumer (prefetched into its
 * buffer, or being retried) but not yet acknowledged: exactly the ones waiting for a service that is down.
 */
public final class BrokerQueues {

    private static final String MANAGEMENT_ADDRESS = "activemq.management";

    private BrokerQueues() {
    }

    public static long messageCount(ConnectionFactory factory, String queue) throws Exception {
        try (Connection c = factory.createConnection()) {
            c.start();
            try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                TemporaryQueue replies = s.createTemporaryQueue();
                Message request = s.createMessage();
                JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, "messageCount");
                request.setJMSReplyTo(replies);
                try (MessageProducer producer = s.createProducer(s.createQueue(MANAGEMENT_ADDRESS));
                     MessageConsumer consumer = s.createConsumer(replies)) {
                    producer.send(request);
                    Message reply = consumer.receive(10_000);
                    if (reply == null) {
                        throw new JMSException("the broker did not answer a count of queue " + queue);
                    }
                    if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                        throw new JMSException("the broker could not count queue " + queue + ": "
                                + JMSManagementHelper.getResult(reply));
                    }
                    return ((Number) JMSManagementHelper.getResult(reply, Long.class)).longValue();
                }
            }
        }
    }
}
