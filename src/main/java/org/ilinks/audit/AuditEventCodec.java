package org.ilinks.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Audit events as they travel on the {@code ilinks.audit} queue: a JSON array, one object an event. */
public final class AuditEventCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditEventCodec() {
    }

    public static String encode(List<AuditEvent> events) {
        ArrayNode array = JSON.createArrayNode();
        for (AuditEvent e : events) {
            ObjectNode o = array.addObject();
            o.put("id", e.eventId());
            o.put("type", e.type().name());
            o.put("outcome", e.outcome());
            o.put("at", e.recordedAt().getEpochSecond() * 1_000_000L + e.recordedAt().getNano() / 1_000);
            o.put("actorType", e.actorType());
            o.put("actorId", e.actorId());
            o.put("actorAddress", e.actorAddress());
            o.put("source", e.source());
            o.put("nhs", e.nhsNumber());
            o.put("message", e.messageId());
            o.put("service", e.serviceId());
            o.put("detail", e.detail());
        }
        try {
            return JSON.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit events could not be encoded", e);
        }
    }

    /** @throws IllegalArgumentException when the text is not what {@link #encode} writes (the text is not quoted) */
    public static List<AuditEvent> decode(String text) {
        JsonNode array;
        try {
            array = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the text it choked on, which may be an event's patient: only where.
            throw new IllegalArgumentException("not an audit event batch: malformed JSON"
                    + (e.getLocation() == null ? "" : " at character " + e.getLocation().getCharOffset()));
        }
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("not an audit event batch: not a JSON array");
        }
        List<AuditEvent> events = new ArrayList<>(array.size());
        for (JsonNode o : array) {
            long micros = o.path("at").asLong();
            events.add(new AuditEvent(o.path("id").asText(), AuditEventType.valueOf(o.path("type").asText()),
                    o.path("outcome").asInt(), Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                            Math.floorMod(micros, 1_000_000L) * 1_000L),
                    o.path("actorType").asText(), o.path("actorId").asText(), text(o, "actorAddress"),
                    o.path("source").asText(), text(o, "nhs"), text(o, "message"), text(o, "service"),
                    text(o, "detail")));
        }
        return events;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
