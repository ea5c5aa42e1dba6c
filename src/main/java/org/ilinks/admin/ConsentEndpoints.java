package org.ilinks.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentOperations;
import org.ilinks.governance.consent.DirectiveSentence;
import org.ilinks.governance.consent.ServiceConsent;
import org.ilinks.hl7.NhsNumber;

/**
 * A patient's consent directives and what each service would decide, and recording or ending a directive, through
 * {@link ConsentOperations} as the CLI does. Each use is recorded first, with the purpose given (required).
 */
final class ConsentEndpoints {

    private final ConsentOperations operations;
    private final ApiAudit audit;

    ConsentEndpoints(ConsentOperations operations, ApiAudit audit) {
        this.operations = operations;
        this.audit = audit;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.needs(Permission.CONSENT_READ, "GET", "/api/consent/{nhsNumber}", this::show),
                Endpoint.needs(Permission.CONSENT_CHANGE, "POST", "/api/consent", this::record),
                Endpoint.needs(Permission.CONSENT_CHANGE, "POST", "/api/consent/{id}/end", this::end));
    }

    private ApiResponse show(ApiRequest request) {
        request.onlyQuery("purpose");
        String nhsNumber = request.path("nhsNumber");
        if (!NhsNumber.isValid(nhsNumber)) {
            throw ApiException.badRequest("the NHS number is not a valid one");
        }
        String purpose = purpose(request.query("purpose"));
        String nhs = NhsNumber.normalise(nhsNumber);
        audit.record(request, "consent show", nhs, null, null, purpose);
        List<Map<String, Object>> directives = operations.directivesFor(nhs).stream().map(this::view).toList();
        List<Map<String, Object>> decisions = operations.decisionsFor(nhs).stream().map(ConsentEndpoints::view)
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nhsNumber", nhs);
        body.put("directives", directives);
        body.put("decisions", decisions);
        return ApiResponse.json(body);
    }

    private ApiResponse record(ApiRequest request) {
        request.onlyQuery();
        request.json("nhsNumber", "scope", "scopeValue", "decision", "from", "to", "source", "sourceId",
                "recordedBy", "reason", "purpose");
        String nhsNumber = request.text("nhsNumber");
        if (!NhsNumber.isValid(nhsNumber)) {
            throw ApiException.badRequest("nhsNumber is not a valid NHS number");
        }
        String purpose = purpose(request.optionalText("purpose"));
        String recordedBy = request.optionalText("recordedBy");
        ConsentOperations.RecordRequest record = new ConsentOperations.RecordRequest(
                NhsNumber.normalise(nhsNumber), request.optionalText("scope"), request.optionalText("scopeValue"),
                request.optionalText("decision"), request.optionalText("from"), request.optionalText("to"),
                request.optionalText("source"), request.optionalText("sourceId"),
                recordedBy == null ? request.caller().username() : recordedBy, request.optionalText("reason"));
        audit.record(request, "consent record", NhsNumber.normalise(nhsNumber), null, null, purpose);
        ConsentDirective d;
        try {
            d = operations.record(record);
        } catch (IllegalArgumentException e) {
            // ConsentOperations names fields and rules, never values; put its CSV column names in API terms.
            throw ApiException.badRequest(apiNames(String.valueOf(e.getMessage())));
        }
        Map<String, Object> body = view(d);
        body.put("sentence", DirectiveSentence.of(d));
        return ApiResponse.json(201, body);
    }

    private ApiResponse end(ApiRequest request) {
        request.onlyQuery();
        request.json("reason", "purpose");
        long id;
        try {
            id = Long.parseLong(request.path("id"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("the directive id must be a number");
        }
        String purpose = purpose(request.optionalText("purpose"));
        audit.record(request, "consent end " + id, null, null, null, purpose);
        boolean ended;
        try {
            ended = operations.end(id, request.caller().username(), request.optionalText("reason"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(apiNames(String.valueOf(e.getMessage())));
        }
        if (!ended) {
            throw ApiException.notFound("no open directive with that id");
        }
        return ApiResponse.json(Map.of("ended", id));
    }

    private static String purpose(String purpose) {
        return ApiRequest.requiredPurpose(purpose);
    }

    static String apiNames(String problem) {
        return problem.replace("nhs_number", "nhsNumber").replace("scope_value", "scopeValue")
                .replace("effective_from", "from").replace("effective_to", "to").replace("source_type", "source")
                .replace("source_id", "sourceId").replace("recorded_by", "recordedBy")
                .replace("end_reason", "reason").replace("ended_by", "user");
    }

    private Map<String, Object> view(ConsentDirective d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("state", operations.stateOf(d).word());
        m.put("decision", d.choice().word());
        m.put("scope", d.scope().word());
        m.put("scopeValue", d.scopeValue());
        m.put("from", d.effectiveFrom().toString());
        m.put("to", d.effectiveTo() == null ? null : d.effectiveTo().toString());
        m.put("source", d.source().word());
        m.put("sourceId", d.sourceId());
        m.put("recordedBy", d.recordedBy());
        m.put("reason", d.reason());
        m.put("recordedAt", d.recordedAt().toString());
        m.put("endedAt", d.endedAt() == null ? null : d.endedAt().toString());
        m.put("endedBy", d.endedBy());
        m.put("endReason", d.endReason());
        return m;
    }

    private static Map<String, Object> view(ServiceConsent s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", s.serviceId());
        m.put("model", s.model().word());
        m.put("outcome", s.outcome());
        m.put("reason", s.decision().reason().name());
        m.put("why", s.decision().sentence());
        return m;
    }
}
