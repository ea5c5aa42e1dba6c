package org.ilinks.audit;

import java.util.List;

/**
 * Stored audit events as CSV (RFC 4180: comma separated, double quotes around a field holding a comma, quote or line
 * break), one row per event after a header row naming the columns.
 */
public final class AuditCsv {

    public static final List<String> COLUMNS = List.of("seq", "event_id", "type", "action", "outcome", "recorded_at",
            "actor_type", "actor_id", "actor_address", "source", "nhs_number", "message_id", "service_id", "detail",
            "prev_hash", "hash");

    private AuditCsv() {
    }

    public static String header() {
        return String.join(",", COLUMNS);
    }

    public static String row(StoredEvent stored) {
        AuditEvent e = stored.event();
        List<String> fields = java.util.Arrays.asList(Long.toString(stored.seq()), e.eventId(), e.type().name(),
                e.action(), Integer.toString(e.outcome()), e.recordedAt().toString(), e.actorType(), e.actorId(),
                e.actorAddress(), e.source(), e.nhsNumber(), e.messageId(), e.serviceId(), e.detail(),
                stored.prevHash(), stored.hash());
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(quote(fields.get(i)));
        }
        return line.toString();
    }

    private static String quote(String field) {
        if (field == null) {
            return "";
        }
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
