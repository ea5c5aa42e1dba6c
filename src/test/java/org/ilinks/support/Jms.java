package org.ilinks.support;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/** Reads queues on the engine's broker the way a trust's consumer would. */
public final class Jms {

    /** A received message: its bytes and the JMS properties the engine set. */
    public record Received(byte[] body, String messageId, Message message) {
    }

    private Jms() {
    }

    /** Takes every message now on the queue (waiting briefly for stragglers). */
    public static List<Received> drain(ConnectionFactory factory, String queue, long waitMs) throws Exception {
        List<Received> out = new ArrayList<>();
        try (Connection c = factory.createConnection()) {
            c.start();
            try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 MessageConsumer consumer = s.createConsumer(s.createQueue(queue))) {
                Message m;
                while ((m = consumer.receive(waitMs)) != null) {
                    out.add(toReceived(m));
                }
            }
        }
        return out;
    }

    /** Looks at the messages on a queue without taking them. */
    public static List<Received> browse(ConnectionFactory factory, String queue) throws Exception {
        List<Received> out = new ArrayList<>();
        try (Connection c = factory.createConnection()) {
            c.start();
            try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 QueueBrowser browser = s.createBrowser(s.createQueue(queue))) {
                for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); ) {
                    out.add(toReceived((Message) e.nextElement()));
                }
            }
        }
        return out;
    }

    private static Received toReceived(Message m) throws Exception {
        byte[] body = new byte[0];
        if (m instanceof BytesMessage b) {
            body = new byte[(int) b.getBodyLength()];
            b.readBytes(body);
        }
        return new Received(body, m.getStringProperty("ilinksMessageId"), m);
    }
}
