package org.ilinks.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ilinks.history.HistoryFilter;
import org.ilinks.history.MessageHistory;
import org.ilinks.replay.MessageEdits;
import org.ilinks.replay.ReplayJob;
import org.ilinks.replay.ReplayOutcome;
import org.ilinks.replay.Replays;

/**
 * Replay for support staff (permission {@code REPLAY}): start a replay by message ids or by a filter, follow it,
 * stop and resume it. Editing a parked message before replaying it also needs the body permission and a purpose,
 * as seeing its content does; so does reading the edits made. Each request is recorded as the person's action;
 * each message's outcome is recorded by the replay itself.
 */
final class ReplayEndpoints {

    private static final Set<String> FILTER_FIELDS = Set.of("service", "status", "from", "to", "type", "error",
            "unresolved");

    private final Replays replays;
    private final MessageHistory history;
    private final MessageEdits edits;
    private final ApiAudit audit;

    ReplayEndpoints(Replays replays, MessageHistory history, MessageEdits edits, ApiAudit audit) {
        this.replays = replays;
        this.history = history;
        this.edits = edits;
        this.audit = audit;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.needs(Permission.REPLAY, "POST", "/api/replay", this::start),
                Endpoint.needs(Permission.REPLAY, "GET", "/api/replay", this::list),
                Endpoint.needs(Permission.REPLAY, "GET", "/api/replay/{jobId}", this::show),
                Endpoint.needs(Permission.REPLAY, "POST", "/api/replay/{jobId}/stop", this::stop),
                Endpoint.needs(Permission.REPLAY, "POST", "/api/replay/{jobId}/resume", this::resume),
                Endpoint.needs(Permission.REPLAY, "POST", "/api/messages/{messageId}/edit-and-replay",
                        this::editAndReplay),
                Endpoint.needs(Permission.BODY, "GET", "/api/messages/{messageId}/edits", this::edits));
    }

    private ApiResponse start(ApiRequest request) {
        request.onlyQuery();
        request.json("ids", "filter", "service", "reason", "force", "ratePerSecond");
        List<String> ids = ids(request.field("ids"));
        HistoryFilter filter = filter(request.field("filter"));
        String service = request.optionalText("service");
        boolean force = bool(request.field("force"), "force");
        Integer rate = integer(request.field("ratePerSecond"), "ratePerSecond");
        Replays.Request r = new Replays.Request(ids, filter, service, request.optionalText("reason"), force, rate,
                request.caller().username(), request.address());
        // Recorded before its first message is replayed: a replay that cannot be audited does not happen.
        ReplayJob job = run(() -> replays.start(r, started -> audit.record(request, "replay " + started.jobId()
                + " started: " + started.selection() + ", to " + (started.targetService() == null
                ? "every subscribing service" : "service " + started.targetService()) + (force ? ", force" : "")
                + "; reason: " + started.reason(), null, ids != null && ids.size() == 1 ? ids.get(0) : null,
                started.targetService(), null)));
        return ApiResponse.json(202, view(job, true));
    }

    private ApiResponse list(ApiRequest request) {
        request.onlyQuery();
        return ApiResponse.json(Map.of("jobs", replays.recent(100).stream().map(j -> view(j, false)).toList()));
    }

    private ApiResponse show(ApiRequest request) {
        request.onlyQuery();
        String id = request.path("jobId");
        return ApiResponse.json(view(replays.job(id).orElseThrow(() -> ApiException.notFound("no replay " + id)),
                true));
    }

    private ApiResponse stop(ApiRequest request) {
        request.onlyQuery();
        String id = request.path("jobId");
        ReplayJob job = run(() -> replays.stop(id, request.caller().username()));
        audit.record(request, "replay " + id + " stopped", null, null, null, null);
        return ApiResponse.json(view(job, true));
    }

    private ApiResponse resume(ApiRequest request) {
        request.onlyQuery();
        String id = request.path("jobId");
        ReplayJob job = run(() -> replays.resume(id, request.caller().username()));
        audit.record(request, "replay " + id + " resumed", null, null, null, null);
        return ApiResponse.json(view(job, true));
    }

    private ApiResponse editAndReplay(ApiRequest request) {
        request.onlyQuery();
        if (!request.caller().may(Permission.BODY)) {
            throw new ApiException(403, "editing a message shows its content: that needs the body permission too");
        }
        request.json("service", "reason", "purpose", "content");
        String id = request.path("messageId");
        String purpose = ApiRequest.requiredPurpose(request.optionalText("purpose"));
        String content = request.text("content");
        if (history.show(id).isEmpty()) {
            throw ApiException.notFound("no message " + id);
        }
        // Recorded before the original is read: an edit that cannot be audited does not happen.
        audit.record(request, "messages edit-and-replay (service " + ApiRequest.safeName(
                String.valueOf(request.optionalText("service"))) + ")", history.patientOf(id), id,
                request.optionalText("service"), purpose);
        byte[] original = history.revealPatientContent(id).orElseThrow(() ->
                ApiException.notFound("the content of " + id + " is no longer kept (retention)"));
        ReplayJob job = run(() -> replays.editAndReplay(id, request.optionalText("service"), content,
                request.optionalText("reason"), request.caller().username(), request.address(), original,
                started -> audit.record(request, "replay " + started.jobId() + " started: " + started.selection()
                        + "; reason: " + started.reason(), null, id, started.targetService(), null)));
        return ApiResponse.json(202, view(job, true));
    }

    private ApiResponse edits(ApiRequest request) {
        request.onlyQuery("purpose");
        String id = request.path("messageId");
        String purpose = ApiRequest.requiredPurpose(request.query("purpose"));
        if (history.show(id).isEmpty()) {
            throw ApiException.notFound("no message " + id);
        }
        audit.record(request, "messages edits", history.patientOf(id), id, null, purpose);
        List<Map<String, Object>> out = new ArrayList<>();
        for (MessageEdits.Edit e : edits.revealPatientEdits(id)) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("editId", e.editId());
            v.put("service", e.serviceId());
            v.put("editedBy", e.editedBy());
            v.put("editedAt", e.editedAt().toString());
            v.put("reason", e.reason());
            v.put("diff", e.diff());
            out.add(v);
        }
        return ApiResponse.json(Map.of("messageId", id, "edits", out));
    }

    private static ReplayJob run(java.util.function.Supplier<ReplayJob> action) {
        try {
            return action.get();
        } catch (Replays.Refused e) {
            // The replay's own words: they name the rule, never a patient.
            throw switch (e.kind()) {
                case NOT_FOUND -> ApiException.notFound(e.getMessage());
                case INVALID -> ApiException.badRequest(e.getMessage());
                case CONFLICT -> new ApiException(409, e.getMessage());
            };
        }
    }

    private static List<String> ids(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.isEmpty()) {
            throw ApiException.badRequest("ids must be a non-empty array of message ids");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : node) {
            if (!id.isTextual()) {
                throw ApiException.badRequest("ids must be a non-empty array of message ids");
            }
            ids.add(id.asText().strip().toUpperCase(Locale.ROOT));
        }
        return ids;
    }

    private static HistoryFilter filter(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("filter must be an object with any of: " + String.join(", ",
                    FILTER_FIELDS.stream().sorted().toList()));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FILTER_FIELDS.contains(f)) {
                throw ApiException.badRequest("unknown filter field '" + ApiRequest.safeName(f) + "'; allowed: "
                        + String.join(", ", FILTER_FIELDS.stream().sorted().toList()));
            }
        }
        try {
            return new HistoryFilter(text(node, "service"), text(node, "status"), instant(node, "from"),
                    instant(node, "to"), text(node, "type"), text(node, "error"), null,
                    bool(node.get("unresolved"), "filter.unresolved"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage()); // the filter's own words: field and rule, never a value
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("filter." + field + " must be a string");
        }
        return v.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String v = text(node, field);
        try {
            return v == null || v.isBlank() ? null : Instant.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("filter." + field + " must be an instant, e.g. 2026-11-26T09:00:00Z");
        }
    }

    private static boolean bool(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ApiException.badRequest(name + " must be true or false");
        }
        return node.asBoolean();
    }

    private static Integer integer(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw ApiException.badRequest(name + " must be a whole number");
        }
        return node.asInt();
    }

    static Map<String, Object> view(ReplayJob job, boolean withItems) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("jobId", job.jobId());
        v.put("state", job.state().name());
        v.put("stateReason", job.stateReason());
        v.put("requestedBy", job.requestedBy());
        v.put("requestedAt", job.requestedAt().toString());
        v.put("reason", job.reason());
        v.put("selection", job.selection());
        v.put("service", job.targetService());
        v.put("force", job.force());
        v.put("ratePerSecond", job.ratePerSecond());
        v.put("total", job.messages());
        v.put("done", job.messagesDone());
        Map<String, Integer> counts = new LinkedHashMap<>();
        job.counts().forEach((o, n) -> {
            if (o != ReplayOutcome.PENDING) {
                counts.put(o.name().toLowerCase(Locale.ROOT), n);
            }
        });
        v.put("counts", counts);
        v.put("updatedAt", job.updatedAt().toString());
        if (withItems) {
            v.put("items", job.items().stream().map(i -> {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("messageId", i.messageId());
                item.put("service", i.serviceId());
                item.put("outcome", i.outcome().name());
                item.put("detail", i.detail());
                item.put("doneAt", Optional.ofNullable(i.doneAt()).map(Instant::toString).orElse(null));
                return item;
            }).toList());
        }
        return v;
    }
}
