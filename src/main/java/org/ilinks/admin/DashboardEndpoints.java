package org.ilinks.admin;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ilinks.engine.MessageCounters;

/**
 * The console's dashboard: per service, what was routed to it, delivered, failed and parked since the engine started,
 * its queues now, its last error and its deliveries per minute over the last hour. All of it comes from the engine's
 * counters and the broker's queue depths, so a refresh every few seconds costs no database query. Counts and the
 * engine's own words only, like {@code /api/services}: any logged-in user may see it.
 */
final class DashboardEndpoints {

    private final EngineView engine;

    DashboardEndpoints(EngineView engine) {
        this.engine = engine;
    }

    List<Endpoint> endpoints() {
        return List.of(Endpoint.needs(Permission.SIGNED_IN, "GET", "/api/dashboard", this::dashboard));
    }

    private ApiResponse dashboard(ApiRequest request) {
        request.onlyQuery();
        MessageCounters counters = engine.counters();
        Map<String, Long> routed = counters.routedByService();
        Map<String, Long> delivered = counters.deliveredByService();
        Map<String, Long> failed = counters.failedAttemptsByService();
        Map<String, Long> parked = counters.parkedByService();
        List<Map<String, Object>> services = engine.services().stream().map(s -> {
            Map<String, Object> queue = new LinkedHashMap<>();
            queue.put("ready", engine.queueDepth(s.queueName()));
            queue.put("held", engine.queueDepth(s.heldQueueName()));
            queue.put("parked", engine.queueDepth(s.parkedQueueName()));
            MessageCounters.LastError last = counters.lastError(s.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("endpoint", s.endpoint().kind());
            m.put("routed", routed.getOrDefault(s.id(), 0L));
            m.put("delivered", delivered.getOrDefault(s.id(), 0L));
            m.put("failedAttempts", failed.getOrDefault(s.id(), 0L));
            m.put("parkedSinceStart", parked.getOrDefault(s.id(), 0L));
            m.put("queue", queue);
            m.put("lastError", last == null ? null : Map.of("at", last.at().toString(), "error", last.words()));
            m.put("deliveredPerMinute", counters.deliveredPerMinute(s.id()));
            return m;
        }).toList();
        Map<String, Object> intake = new LinkedHashMap<>();
        intake.put("received", counters.receivedCount());
        intake.put("rejected", counters.rejectedCount());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", Instant.now().toString());
        body.put("health", engine.health());
        body.put("intake", intake);
        body.put("services", services);
        return ApiResponse.json(body);
    }
}
