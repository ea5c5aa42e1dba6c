package org.ilinks.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ilinks.config.ServiceDefinition;

/**
 * Service status for logged-in users, and /health and /metrics for monitoring, which need no login: counts and
 * states only, never an identifier or content.
 */
final class StatusEndpoints {

    private final EngineView engine;

    StatusEndpoints(EngineView engine) {
        this.engine = engine;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.needs(Permission.SIGNED_IN, "GET", "/api/services", this::services),
                Endpoint.open("GET", "/health", this::health),
                Endpoint.open("GET", "/metrics", this::metrics));
    }

    private ApiResponse services(ApiRequest request) {
        request.onlyQuery();
        Map<String, Long> delivered = engine.counters().deliveredByService();
        Map<String, Long> parkedSinceStart = engine.counters().parkedByService();
        List<Map<String, Object>> out = engine.services().stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("endpoint", s.endpoint().kind());
            m.put("queued", engine.queueDepth(s.queueName()));
            m.put("held", engine.queueDepth(s.heldQueueName()));
            m.put("parked", engine.queueDepth(s.parkedQueueName()));
            m.put("deliveredSinceStart", delivered.getOrDefault(s.id(), 0L));
            m.put("parkedSinceStart", parkedSinceStart.getOrDefault(s.id(), 0L));
            return m;
        }).toList();
        return ApiResponse.json(Map.of("services", out));
    }

    private ApiResponse health(ApiRequest request) {
        request.onlyQuery();
        Map<String, Boolean> parts = engine.health();
        boolean up = parts.values().stream().allMatch(Boolean::booleanValue);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        parts.forEach((k, v) -> body.put(k, v ? "UP" : "DOWN"));
        return ApiResponse.json(up ? 200 : 503, body);
    }

    /** Prometheus text exposition format 0.0.4. */
    private ApiResponse metrics(ApiRequest request) {
        request.onlyQuery();
        StringBuilder out = new StringBuilder();
        var counters = engine.counters();
        family(out, "ilinks_messages_received_total", "counter",
                "Messages accepted at intake (ACK AA) since the engine started.");
        out.append("ilinks_messages_received_total ").append(counters.receivedCount()).append('\n');
        family(out, "ilinks_messages_rejected_total", "counter",
                "Messages refused at intake (ACK AR) since the engine started.");
        out.append("ilinks_messages_rejected_total ").append(counters.rejectedCount()).append('\n');
        List<ServiceDefinition> services = engine.services();
        family(out, "ilinks_messages_delivered_total", "counter", "Copies delivered per service since the engine started.");
        for (ServiceDefinition s : services) {
            sample(out, "ilinks_messages_delivered_total", s.id(), null, counters.deliveredByService().getOrDefault(s.id(), 0L));
        }
        family(out, "ilinks_messages_parked_total", "counter", "Copies parked per service since the engine started.");
        for (ServiceDefinition s : services) {
            sample(out, "ilinks_messages_parked_total", s.id(), null, counters.parkedByService().getOrDefault(s.id(), 0L));
        }
        family(out, "ilinks_queue_depth", "gauge",
                "Messages waiting per service: ready to deliver, held (no verified NHS number), parked.");
        for (ServiceDefinition s : services) {
            sample(out, "ilinks_queue_depth", s.id(), "ready", engine.queueDepth(s.queueName()));
            sample(out, "ilinks_queue_depth", s.id(), "held", engine.queueDepth(s.heldQueueName()));
            sample(out, "ilinks_queue_depth", s.id(), "parked", engine.queueDepth(s.parkedQueueName()));
        }
        family(out, "ilinks_up", "gauge", "1 when the part of the engine is up.");
        engine.health().forEach((part, up) -> out.append("ilinks_up{part=\"").append(part).append("\"} ")
                .append(up ? 1 : 0).append('\n'));
        return ApiResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", out.toString());
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String service, String queue, long value) {
        out.append(name).append("{service=\"").append(label(service)).append('"');
        if (queue != null) {
            out.append(",queue=\"").append(queue).append('"');
        }
        out.append("} ").append(value).append('\n');
    }

    /** Service ids are plain, but a label value must escape these whatever it holds. */
    private static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
