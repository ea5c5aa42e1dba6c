package org.ilinks.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditStore;

/**
 * A message's hops from the audit trail for support staff (message metadata): what the engine did with it, when, for
 * which service and how it ended. Unlike the ig's {@code /api/audit/trail}, it leaves out the patient and the people
 * who looked at the message (their purposes are free text), and needs no purpose: it shows no more than the message
 * history does.
 */
final class MessageTrailEndpoints {

    /**
     * Hop details are the engine's words by contract; a digit run shaped like an NHS number is masked all the same,
     * since this endpoint serves roles that must never see one.
     */
    private static final Pattern NHS_NUMBER_SHAPE = Pattern.compile("(?<!\\d)\\d{3}[ -]?\\d{3}[ -]?\\d{4}(?!\\d)");

    private final AuditStore store;
    private final ApiAudit audit;

    MessageTrailEndpoints(AuditStore store, ApiAudit audit) {
        this.store = store;
        this.audit = audit;
    }

    List<Endpoint> endpoints() {
        return List.of(Endpoint.needs(Permission.MESSAGE_METADATA, "GET", "/api/messages/{messageId}/trail",
                this::trail));
    }

    private ApiResponse trail(ApiRequest request) {
        request.onlyQuery();
        String id = request.path("messageId").strip();
        if (!id.matches("[0-9A-Za-z]{1,64}")) {
            throw ApiException.badRequest("messageId must be the engine's message id (letters and digits)");
        }
        audit.record(request, "messages trail", null, id, null, null);
        List<Map<String, Object>> hops = store.trail(id).stream()
                .filter(e -> e.type() != AuditEventType.PERSON_ACTION)
                .map(MessageTrailEndpoints::view).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messageId", id);
        body.put("hops", hops);
        return ApiResponse.json(body);
    }

    static Map<String, Object> view(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", e.recordedAt().toString());
        m.put("type", e.type().name());
        m.put("service", e.serviceId());
        m.put("outcome", e.outcome());
        m.put("actor", e.actorId());
        m.put("detail", masked(e.detail()));
        return m;
    }

    static String masked(String detail) {
        return detail == null ? null : NHS_NUMBER_SHAPE.matcher(detail).replaceAll("[number hidden]");
    }
}
