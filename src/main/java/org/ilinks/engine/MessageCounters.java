package org.ilinks.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many messages were accepted and rejected at intake, and routed, delivered, failed and parked per service, since
 * the engine started, with deliveries per minute over the last hour and each service's last error: counts and the
 * engine's own words only (for /metrics and the console's dashboard), no ids, no content. Counted as the step runs,
 * so a step whose transaction rolls back afterwards (the engine stopped mid-delivery) may be counted twice when it
 * runs again.
 */
public final class MessageCounters {

    /** A service's last failure: when, and the engine's words for it (never a message's content or identifiers). */
    public record LastError(Instant at, String words) {
    }

    private final Clock clock;
    private final LongAdder received = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final Map<String, LongAdder> routed = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> delivered = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failedAttempts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> parked = new ConcurrentHashMap<>();
    private final Map<String, MinuteSeries> deliveredPerMinute = new ConcurrentHashMap<>();
    private final Map<String, LastError> lastErrors = new ConcurrentHashMap<>();

    public MessageCounters() {
        this(Clock.systemUTC());
    }

    public MessageCounters(Clock clock) {
        this.clock = clock;
    }

    public void received() {
        received.increment();
    }

    public void rejected() {
        rejected.increment();
    }

    /** A copy put on the service's way: queued for it, or held back for it. */
    public void routed(String serviceId) {
        count(routed, serviceId);
    }

    public void delivered(String serviceId) {
        count(delivered, serviceId);
        deliveredPerMinute.computeIfAbsent(String.valueOf(serviceId), k -> new MinuteSeries())
                .add(clock.millis());
    }

    /** A delivery attempt failed and will be retried; {@code words} say why, in the engine's words. */
    public void failedAttempt(String serviceId, String words) {
        count(failedAttempts, serviceId);
        lastErrors.put(String.valueOf(serviceId), new LastError(clock.instant(), words));
    }

    /**
     * A copy parked behind an earlier parked copy of its patient: counted, but not the service's last error (the
     * service did nothing wrong, and that reason names a message id, which the dashboard does not show).
     */
    public void parked(String serviceId) {
        count(parked, serviceId);
    }

    /** A copy was parked; {@code reason} says why, in the engine's words. */
    public void parked(String serviceId, String reason) {
        count(parked, serviceId);
        lastErrors.put(String.valueOf(serviceId), new LastError(clock.instant(), reason));
    }

    public long receivedCount() {
        return received.sum();
    }

    public long rejectedCount() {
        return rejected.sum();
    }

    /** Copies routed (queued or held) by service id, in id order. */
    public Map<String, Long> routedByService() {
        return snapshot(routed);
    }

    /** Delivered copies by service id, in id order. */
    public Map<String, Long> deliveredByService() {
        return snapshot(delivered);
    }

    /** Failed delivery attempts by service id, in id order. */
    public Map<String, Long> failedAttemptsByService() {
        return snapshot(failedAttempts);
    }

    /** Parked copies by service id, in id order. */
    public Map<String, Long> parkedByService() {
        return snapshot(parked);
    }

    /** The service's last failed attempt or parking since the engine started, or null. */
    public LastError lastError(String serviceId) {
        return lastErrors.get(serviceId);
    }

    /** Deliveries to the service in each of the last 60 minutes, oldest first, the running minute last. */
    public long[] deliveredPerMinute(String serviceId) {
        MinuteSeries series = deliveredPerMinute.get(serviceId);
        return series == null ? new long[MinuteSeries.MINUTES] : series.lastHour(clock.millis());
    }

    private static void count(Map<String, LongAdder> counts, String serviceId) {
        counts.computeIfAbsent(String.valueOf(serviceId), k -> new LongAdder()).increment();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
