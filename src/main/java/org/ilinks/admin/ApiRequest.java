package org.ilinks.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One request as a handler sees it: path parameters, query parameters, the JSON body, the client's address and who
 * the caller is (null on endpoints that need no login). Its accessors turn missing or malformed input into 400s.
 */
public final class ApiRequest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> pathParams;
    private final Map<String, String> query;
    private final String body;
    private final String address;
    private final boolean https;
    private Caller caller;
    private ObjectNode json;

    ApiRequest(Map<String, String> pathParams, Map<String, String> query, String body, String address,
               boolean https) {
        this.pathParams = pathParams;
        this.query = query;
        this.body = body;
        this.address = address;
        this.https = https;
    }

    /** Whether the client reached a trusted proxy over HTTPS (then cookies are marked Secure). */
    public boolean https() {
        return https;
    }

    void caller(Caller caller) {
        this.caller = caller;
    }

    public Caller caller() {
        return caller;
    }

    public String address() {
        return address;
    }

    public String path(String name) {
        return pathParams.get(name);
    }

    /** The purpose a person gave for looking at patient data: required, and recorded with what they see. */
    static String requiredPurpose(String purpose) {
        if (purpose == null) {
            throw ApiException.badRequest("purpose is required: say why you are looking (it is recorded)");
        }
        if (purpose.length() > 500) {
            throw ApiException.badRequest("purpose must have at most 500 characters");
        }
        return purpose;
    }

    /** A query parameter, or null when absent or empty. */
    public String query(String name) {
        String v = query.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** Refuses query parameters other than these (a misspelt filter must not silently widen a query). */
    public void onlyQuery(String... names) {
        Set<String> allowed = Set.of(names);
        for (String k : query.keySet()) {
            if (!allowed.contains(k)) {
                throw ApiException.badRequest("unknown query parameter '" + safeName(k) + "'; allowed: "
                        + (names.length == 0 ? "none" : String.join(", ", names)));
            }
        }
    }

    /** The body as a JSON object with only these fields; 400 for anything else. */
    public ObjectNode json(String... fields) {
        if (json == null) {
            if (body == null || body.isBlank()) {
                throw ApiException.badRequest("a JSON object body is required");
            }
            JsonNode node;
            try {
                node = JSON.readTree(body);
            } catch (Exception e) {
                // Jackson's message quotes the text it choked on: it is not passed on.
                throw ApiException.badRequest("the body is not valid JSON");
            }
            if (!(node instanceof ObjectNode object)) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            json = object;
        }
        Set<String> allowed = Set.of(fields);
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ApiException.badRequest("unknown field '" + safeName(f) + "'; allowed: " + String.join(", ", fields));
            }
        }
        return json;
    }

    /** A text field of the body, required. */
    public String text(String field) {
        String v = optionalText(field);
        if (v == null) {
            throw ApiException.badRequest("field '" + field + "' is required");
        }
        return v;
    }

    /** A text field of the body, or null when absent, null or empty. */
    public String optionalText(String field) {
        JsonNode n = json == null ? null : json.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest("field '" + field + "' must be a string");
        }
        return n.asText().isBlank() ? null : n.asText();
    }

    /** The body as parsed (after {@link #json}). */
    public JsonNode field(String name) {
        return json == null ? null : json.get(name);
    }

    /** A name the client sent, shown back only if it is a short plain identifier. */
    static String safeName(String name) {
        return name.matches("[A-Za-z0-9_.-]{1,40}") ? name : "?";
    }

    static ObjectMapper mapper() {
        return JSON;
    }
}
