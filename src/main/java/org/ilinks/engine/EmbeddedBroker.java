package org.ilinks.engine;

import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.ilinks.config.ServiceDefinition;

/**
 * The Artemis broker the engine runs inside its own process when no external broker is configured: persistent
 * journal under the data dir, reachable in-VM, and optionally on a TCP port for trusts that consume their queues.
 */
public final class EmbeddedBroker implements AutoCloseable {

    static final String IN_VM_URL = "vm://0";
    private static final int JOURNAL_BUFFER_TIMEOUT_NANOS = 500_000;

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();

    public static EmbeddedBroker start(Path dir, String tcpHost, int tcpPort) throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker();
        broker.server.setConfiguration(configuration(dir, tcpHost, tcpPort));
        broker.server.start();
        return broker;
    }

    private static Configuration configuration(Path dir, String tcpHost, int tcpPort) throws Exception {
        Configuration c = new ConfigurationImpl();
        c.setName("ilinks");
        c.setPersistenceEnabled(true);
        c.setSecurityEnabled(false);
        c.setJMXManagementEnabled(false);
        // NIO works on every machine; the native AIO journal needs libaio, which a fresh machine may lack.
        c.setJournalType(JournalType.NIO);
        // Artemis batches fsyncs for this long (default 3.3 ms for NIO). Every AA and every routing and delivery
        // commit waits for one, and a local disk syncs in well under a millisecond, so batch for less.
        c.setJournalBufferTimeout_NIO(JOURNAL_BUFFER_TIMEOUT_NANOS);
        c.setJournalDirectory(dir.resolve("journal").toString());
        c.setBindingsDirectory(dir.resolve("bindings").toString());
        c.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        c.setPagingDirectory(dir.resolve("paging").toString());
        c.setNodeManagerLockDirectory(dir.resolve("lock").toString());
        c.setGracefulShutdownEnabled(true);
        c.addAcceptorConfiguration("in-vm", IN_VM_URL);
        if (tcpPort > 0) {
            c.addAcceptorConfiguration("tcp", "tcp://" + tcpHost + ":" + tcpPort);
        }
        c.addAddressSetting("#", defaults());
        c.addAddressSetting("ilinks.intake", defaults().setDeadLetterAddress(SimpleString.of("ilinks.intake.parked")));
        // Audit events wait for the database however long it is away: never moved aside after N failed writes.
        c.addAddressSetting(org.ilinks.audit.AuditTrail.QUEUE, defaults().setMaxDeliveryAttempts(-1));
        return c;
    }

    private static AddressSettings defaults() {
        return new AddressSettings()
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false)
                // Rollbacks happen only when the engine stops mid-delivery; redeliver at once to keep patient order.
                .setRedeliveryDelay(0)
                // The routes retry failures themselves (delivery parks with a reason, routing waits for its stores);
                // a message rolled back this often has stopped the engine again and again, and goes to the
                // dead-letter queue (ilinks.intake.parked, ilinks.service.<id>.parked) instead.
                .setMaxDeliveryAttempts(200)
                // Bounded memory for per-patient groups: patients hash into buckets, each bucket owned by one consumer.
                .setDefaultGroupBuckets(1024)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                // Nothing the engine sends expires; naming an expiry address only keeps Artemis from warning.
                .setExpiryAddress(SimpleString.of("ilinks.expired"))
                // Services and the intake queue name their own; this catches anything else (trust queues).
                .setDeadLetterAddress(SimpleString.of("ilinks.dead-letter"));
    }

    /** A message that keeps failing at the broker level for this service lands in the service's parked queue. */
    public void configureService(ServiceDefinition service) {
        server.getActiveMQServer().getAddressSettingsRepository().addMatch(service.queueName(),
                defaults().setDeadLetterAddress(SimpleString.of(service.parkedQueueName())));
    }

    /** Messages on the queue, those being delivered included; 0 when the queue does not exist yet (nothing was put on it). */
    public long messageCount(String queue) {
        org.apache.activemq.artemis.core.server.Queue q = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }

    public void stop() throws Exception {
        server.stop();
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
