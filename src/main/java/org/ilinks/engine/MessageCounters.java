package org.ilinks.engine;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many messages were accepted and rejected at intake, and delivered and parked per service, since the engine
 * started: counts only (for /metrics), no ids, no content. Counted as the step runs, so a step whose transaction
 * rolls back afterwards (the engine stopped mid-delivery) may be counted twice when it runs again.
 */
public final class MessageCounters {

    private final LongAdder received = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final Map<String, LongAdder> delivered = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> parked = new ConcurrentHashMap<>();

    public void received() {
        received.increment();
    }

    public void rejected() {
        rejected.increment();
    }

    public void delivered(String serviceId) {
        delivered.computeIfAbsent(String.valueOf(serviceId), k -> new LongAdder()).increment();
    }

    public void parked(String serviceId) {
        parked.computeIfAbsent(String.valueOf(serviceId), k -> new LongAdder()).increment();
    }

    public long receivedCount() {
        return received.sum();
    }

    public long rejectedCount() {
        return rejected.sum();
    }

    /** Delivered copies by service id, in id order. */
    public Map<String, Long> deliveredByService() {
        return snapshot(delivered);
    }

    /** Parked copies by service id, in id order. */
    public Map<String, Long> parkedByService() {
        return snapshot(parked);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
