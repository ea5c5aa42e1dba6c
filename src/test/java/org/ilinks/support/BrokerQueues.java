package org.ilinks.support;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
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

    public static long messageCount(jakarta.jms.ConnectionFactory factory, String queue) throws Exception {
        try (QueueConnection c = ((QueueConnectionFactory) factory).createQueueConnection()) {
            c.start();
            try (QueueSession s = c.createQueueSession(false, Session.AUTO_ACKNOWLEDGE)) {
                QueueRequestor requestor = new QueueRequestor(s, s.createQueue(MANAGEMENT_ADDRESS));
                Message request = s.createMessage();
                JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, "messageCount");
                Message reply = requestor.request(request);
                if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                    throw new JMSException("the broker could not count queue " + queue + ": "
                            + JMSManagementHelper.getResult(reply));
                }
                return ((Number) JMSManagementHelper.getResult(reply, Long.class)).longValue();
            }
        }
    }
}
