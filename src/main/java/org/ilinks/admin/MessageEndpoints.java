package org.ilinks.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ilinks.history.HistoryFilter;
import org.ilinks.history.MessageHistory;
import org.ilinks.history.MessageSummary;
import org.ilinks.history.ServiceState;

/**
 * The message history for support staff: lists and single messages are metadata only (role analyst or support);
 * a message's content is patient data, shown only with the separate {@code body} permission and a purpose, and
 * each view is recorded first with the patient it was about.
 */
final class MessageEndpoints {

    private static final int MAX_PAGE_SIZE = 500;

    private final MessageHistory history;
    private final ApiAudit audit;

    MessageEndpoints(MessageHistory history, ApiAudit audit) {
        this.history = history;
        this.audit = audit;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.needs(Permission.MESSAGE_METADATA, "GET", "/api/messages", this::list),
                Endpoint.needs(Permission.MESSAGE_METADATA, "GET", "/api/messages/{messageId}", this::show),
                Endpoint.needs(Permission.BODY, "GET", "/api/messages/{messageId}/content", this::content));
    }

    private ApiResponse list(ApiRequest request) {
        request.onlyQuery("service", "status", "from", "to", "type", "error", "id", "unresolved", "page", "size",
                "purpose");
        HistoryFilter filter;
        try {
            filter = new HistoryFilter(request.query("service"), request.query("status"), instant(request, "from"),
                    instant(request, "to"), request.query("type"), request.query("error"), request.query("id"),
                    "true".equalsIgnoreCase(request.query("unresolved")));
        } catch (IllegalArgumentException e) {
            // The filter's own words: they name the parameter and the rule, never a patient.
            throw ApiException.badRequest(e.getMessage());
        }
        int page = number(request, "page", 0, 1_000_000, 0); // 0 is the newest page, as in MessageHistory
        int size = number(request, "size", 1, MAX_PAGE_SIZE, 50);
        audit.record(request, "messages list", null, null, filter.serviceId(), optionalPurpose(request));
        MessageHistory.Page found = history.list(filter, page, size);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("page", found.page());
        body.put("size", found.pageSize());
        body.put("more", found.more());
        body.put("messages", found.messages().stream().map(MessageEndpoints::view).toList());
        return ApiResponse.json(body);
    }

    private ApiResponse show(ApiRequest request) {
        request.onlyQuery("purpose");
        String id = request.path("messageId");
        audit.record(request, "messages show", null, id, null, optionalPurpose(request));
        MessageSummary m = history.show(id).orElseThrow(() -> ApiException.notFound("no message " + id));
        return ApiResponse.json(view(m));
    }

    private ApiResponse content(ApiRequest request) {
        request.onlyQuery("purpose");
        String id = request.path("messageId");
        String purpose = ApiRequest.requiredPurpose(request.query("purpose"));
        if (history.show(id).isEmpty()) {
            throw ApiException.notFound("no message " + id);
        }
        // Recorded before anything is shown: a view that cannot be audited does not happen.
        audit.record(request, "messages content", history.patientOf(id), id, null, purpose);
        Optional<byte[]> content = history.revealPatientContent(id);
        if (content.isEmpty()) {
            throw ApiException.notFound("the content of " + id + " is no longer kept (retention)");
        }
        return ApiResponse.text(200, "text/plain; charset=UTF-8", MessageHistory.readable(content.get()).replace("\r", "\n"));
    }

    /** Metadata needs no purpose, but one given (a ticket number) is recorded with the look, as on the CLI. */
    private static String optionalPurpose(ApiRequest request) {
        String purpose = request.query("purpose");
        return purpose == null ? null : ApiRequest.requiredPurpose(purpose);
    }

    private static Map<String, Object> view(MessageSummary m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("messageId", m.messageId());
        v.put("receivedAt", string(m.receivedAt()));
        v.put("routedAt", string(m.routedAt()));
        v.put("type", m.messageType() + (m.triggerEvent() == null ? "" : "^" + m.triggerEvent()));
        v.put("sendingApplication", m.sendingApplication());
        v.put("sendingFacility", m.sendingFacility());
        v.put("controlId", m.controlId());
        v.put("version", m.version());
        v.put("routing", m.routing() == null ? null : m.routing().name());
        v.put("routingReason", m.routingReason());
        v.put("contentKept", m.contentKept());
        v.put("contentEncrypted", m.contentEncrypted());
        v.put("contentSize", m.contentSize());
        v.put("contentRemovedAt", string(m.contentRemovedAt()));
        v.put("unresolved", m.unresolved());
        v.put("services", m.services().stream().map(MessageEndpoints::view).toList());
        return v;
    }

    private static Map<String, Object> view(ServiceState s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("service", s.serviceId());
        v.put("status", s.status() == null ? null : s.status().name());
        v.put("reasonCode", s.reasonCode());
        v.put("reason", s.reason());
        v.put("changes", s.changes());
        v.put("attempts", s.attempts());
        v.put("lastError", s.lastError());
        v.put("decidedAt", string(s.decidedAt()));
        v.put("lastAttemptAt", string(s.lastAttemptAt()));
        v.put("deliveredAt", string(s.deliveredAt()));
        return v;
    }

    private static String string(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(ApiRequest request, String name) {
        String v = request.query(name);
        try {
            return v == null ? null : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an instant, e.g. 2026-11-26T09:00:00Z");
        }
    }

    private static int number(ApiRequest request, String name, int min, int max, int absent) {
        String v = request.query(name);
        if (v == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(name + " must be a whole number from " + min + " to " + max);
    }

}
