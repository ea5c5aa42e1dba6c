package org.ilinks.engine;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.util.Enumeration;

/**
 * Counts the messages waiting on a queue by browsing it (leaves them where they are). A browser does not see
 * messages already handed to a consumer, so this is exact only for queues nobody is consuming: parked queues, and
 * trust queues before the trust connects (what the demo counts).
 */
public final class QueueCounts {

    private QueueCounts() {
    }

    public static int count(ConnectionFactory factory, String queue) throws JMSException {
        try (Connection c = factory.createConnection()) {
            c.start();
            try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 QueueBrowser browser = s.createBrowser(s.createQueue(queue))) {
                int n = 0;
                for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); e.nextElement()) {
                    n++;
                }
                return n;
            }
        }
    }
}
