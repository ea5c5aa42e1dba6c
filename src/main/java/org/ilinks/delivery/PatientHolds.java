package org.ilinks.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.ServiceDefinition.WhenParked;
import org.ilinks.message.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which patients each service with {@code delivery.whenParked: hold-patient} is holding back, and behind which parked
 * copy: service, then patient group (the JMSXGroupID hash the copies carry), then the blocking message id. Named
 * {@code patientHolds} by the delivery routes.
 *
 * <p>Kept in memory because the delivery route asks on every copy; filled when a copy is parked, inside that copy's
 * delivery hop. The broker hands one patient group to one consumer at a time, so the patient's next copy is not taken
 * before the parking hop has registered the hold. Rebuilt from the message history at start (and when a service's
 * setting changes) from the copies still parked that wait behind nothing.
 *
 * <p>A hold is lifted when its blocking copy is sent again: by {@link #released} (replay, after it re-queues the copy),
 * or when that copy comes back through delivery (a replay, or the broker's redelivery of a hop that rolled back). If
 * it is parked again, it holds the patient again.
 */
public final class PatientHolds {

    private static final Logger LOG = LoggerFactory.getLogger(PatientHolds.class);

    private final DataSource dataSource;
    /** Service id, then patient group, then the blocking message id; a service is a key only with hold-patient. */
    private final Map<String, Map<String, String>> holds = new HashMap<>();
    /**
     * Blocking copies ("service message") that came back through delivery since their hold was set: a later
     * {@link #released} for one of them must not lift the hold a second parking has set again.
     */
    private final Set<String> cameBack = new HashSet<>();

    public PatientHolds(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Follows the configuration: services that hold patients now are loaded from the history if they were not
     * before; services that no longer do (or are gone) forget their holds.
     */
    public synchronized void use(List<ServiceDefinition> services) {
        Set<String> holding = services.stream()
                .filter(s -> s.delivery().whenParked() == WhenParked.HOLD_PATIENT)
                .map(ServiceDefinition::id)
                .collect(Collectors.toSet());
        holds.keySet().retainAll(holding);
        Set<String> added = new HashSet<>(holding);
        added.removeAll(holds.keySet());
        if (added.isEmpty()) {
            return;
        }
        added.forEach(id -> holds.put(id, new HashMap<>()));
        int loaded;
        try {
            loaded = load(added);
        } catch (RuntimeException e) {
            // Not half-applied: the caller's start or reload fails as a whole, and the next one loads them again.
            holds.keySet().removeAll(added);
            throw e;
        }
        LOG.info("Patient holds: {} parked copies hold later messages back, for {} services", loaded, added.size());
    }

    /**
     * Before delivering a copy: sets {@link DeliveryProperties#WAITING_BEHIND} to the parked copy it must wait behind,
     * if any. A blocking copy coming back through delivery lifts its own hold (it is parked again if it fails again).
     */
    public void check(Exchange exchange) {
        exchange.removeProperty(DeliveryProperties.WAITING_BEHIND);
        String service = exchange.getProperty(DeliveryProperties.SERVICE_ID, String.class);
        String messageId = exchange.getIn().getHeader(MessageHeaders.MESSAGE_ID, String.class);
        String group = exchange.getIn().getHeader(MessageHeaders.PATIENT_GROUP, String.class);
        if (service == null || messageId == null) {
            return;
        }
        String blocker;
        synchronized (this) {
            Map<String, String> byGroup = holds.get(service);
            if (byGroup == null) {
                return;
            }
            if (byGroup.values().remove(messageId)) {
                cameBack.add(key(service, messageId));
                LOG.info("Service {}: message {} is being delivered again; the messages after it no longer wait",
                        service, messageId);
                return;
            }
            blocker = group == null ? null : byGroup.get(group);
        }
        if (blocker != null) {
            exchange.setProperty(DeliveryProperties.WAITING_BEHIND, blocker);
        }
    }

    /** A copy was parked for a reason of its own (rejected, or AE on every attempt): it holds its patient back. */
    public void parked(Exchange exchange) {
        String service = exchange.getProperty(DeliveryProperties.SERVICE_ID, String.class);
        String messageId = exchange.getIn().getHeader(MessageHeaders.MESSAGE_ID, String.class);
        String group = exchange.getIn().getHeader(MessageHeaders.PATIENT_GROUP, String.class);
        if (service == null || messageId == null || group == null) {
            return;
        }
        synchronized (this) {
            Map<String, String> byGroup = holds.get(service);
            if (byGroup != null && byGroup.putIfAbsent(group, messageId) == null) {
                LOG.info("Service {}: later messages for the patient of message {} wait behind it", service,
                        messageId);
            }
        }
    }

    /**
     * Replay calls this after it has put the parked copy {@code messageId} back on the service's queue: the patient's
     * messages are no longer held back behind it. Does nothing when that copy is not what holds them back, or when it
     * has already come back through delivery (if it was parked again there, it holds them back again).
     */
    public synchronized void released(String serviceId, String messageId) {
        if (cameBack.remove(key(serviceId, messageId))) {
            return;
        }
        Map<String, String> byGroup = holds.get(serviceId);
        if (byGroup != null && byGroup.values().remove(messageId)) {
            LOG.info("Service {}: message {} released; the messages after it no longer wait", serviceId, messageId);
        }
    }

    /** The copy a patient's messages for a service wait behind now, or null; for tests and support tools. */
    public synchronized String blockerFor(String serviceId, String patientGroup) {
        Map<String, String> byGroup = holds.get(serviceId);
        return byGroup == null ? null : byGroup.get(patientGroup);
    }

    private int load(Set<String> services) {
        String marks = services.stream().map(s -> "?").collect(Collectors.joining(","));
        // Oldest first, so that of two parked copies of one patient the earlier holds the patient back.
        String sql = "SELECT service_id, patient_group, message_id FROM routing_decision WHERE status = 'PARKED'"
                + " AND waiting_behind IS NULL AND patient_group IS NOT NULL AND service_id IN (" + marks + ")"
                + " ORDER BY message_id";
        int loaded = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String service : services) {
                ps.setString(i++, service);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (holds.get(rs.getString(1)).putIfAbsent(rs.getString(2), rs.getString(3)) == null) {
                        loaded++;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not load the parked messages that hold patients back: SQLState "
                    + e.getSQLState(), e);
        }
        return loaded;
    }

    private static String key(String serviceId, String messageId) {
        return serviceId + " " + messageId;
    }
}
