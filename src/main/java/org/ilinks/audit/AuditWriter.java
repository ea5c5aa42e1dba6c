package org.ilinks.audit;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves audit events from the queue into the chained audit table, in batches: one JMS transaction takes up to
 * {@value #BATCH} messages (or what arrives in a second), the table gets them in one database transaction, then the
 * JMS transaction commits. A
 * crash between the two commits redelivers the batch; the table recognises the events it already has by their ids,
 * so none is recorded twice and none is lost. One writer per engine keeps the chain's order simple; the table's own
 * lock keeps it whole when several engines (or the CLI) write at once.
 */
public final class AuditWriter implements AutoCloseable {

    /** Appends a batch to the audit table, skipping events it already holds; returns how many were new. */
    @FunctionalInterface
    public interface Appender {
        int append(List<AuditEvent> events) throws Exception;
    }

    static final int BATCH = 5000;
    private static final long WAIT_MS = 50;
    /**
     * The longest a batch collects under load. Each batch ends by forcing the database to disk (see
     * {@code Database.makeDurable}), which on H2 writes out every table's pending changes: four times a second that
     * cost a fifth of the engine's throughput, once a second (H2's own pace) almost nothing.
     */
    private static final long MAX_BATCH_NANOS = 1_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);

    private final ConnectionFactory connectionFactory;
    private final Appender appender;
    private final Thread thread;
    private volatile boolean running = true;

    public AuditWriter(ConnectionFactory connectionFactory, Appender appender) {
        this.connectionFactory = connectionFactory;
        this.appender = appender;
        this.thread = new Thread(this::run, "ilinks-audit-writer");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        long backoff = 500;
        while (running) {
            try (Connection connection = connectionFactory.createConnection()) {
                connection.start();
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = session.createConsumer(session.createQueue(AuditTrail.QUEUE));
                backoff = 500;
                while (running) {
                    drainOnce(session, consumer);
                }
            } catch (Exception e) {
                if (running) {
                    LOG.warn("Audit writer: {}; retrying in {} ms (events wait on {})", e.getClass().getSimpleName(),
                            backoff, AuditTrail.QUEUE);
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 30_000);
                }
            }
        }
    }

    private void drainOnce(Session session, MessageConsumer consumer) throws Exception {
        List<AuditEvent> events = new ArrayList<>();
        int messages = 0;
        Message m = consumer.receive(500);
        long started = System.nanoTime();
        while (m != null) {
            messages++;
            events.addAll(decode(m));
            if (messages >= BATCH || events.size() >= BATCH * 4 || System.nanoTime() - started >= MAX_BATCH_NANOS) {
                break;
            }
            m = consumer.receive(WAIT_MS);
        }
        if (messages == 0) {
            return;
        }
        try {
            appender.append(events);
            session.commit();
        } catch (Exception e) {
            session.rollback();
            throw e;
        }
    }

    private static List<AuditEvent> decode(Message m) throws JMSException {
        if (m instanceof BytesMessage || m instanceof TextMessage) {
            try {
                if (m instanceof BytesMessage bytes) {
                    byte[] body = new byte[(int) bytes.getBodyLength()];
                    bytes.readBytes(body);
                    return AuditEventCodec.decode(body);
                }
                return AuditEventCodec.decodeJson(((TextMessage) m).getText());
            } catch (IllegalArgumentException e) {
                // Not ours to lose, nor to block the others: say so once and keep going.
                LOG.error("Audit writer: a message on {} is not an audit event batch ({}); skipped: {}",
                        AuditTrail.QUEUE, m.getJMSMessageID(), e.getMessage());
                return List.of();
            }
        }
        LOG.error("Audit writer: a {} on {} is not an audit event batch; skipped", m.getClass().getSimpleName(),
                AuditTrail.QUEUE);
        return List.of();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops after the batch in hand; what is still queued is written at the next start. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
