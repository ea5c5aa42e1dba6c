package org.ilinks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.ilinks.audit.SubjectAccessReport;

/** Fields of the admin API's JSON answers as the CLI prints them: text or "-", instants as times in England. */
final class ApiFields {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(SubjectAccessReport.ZONE);

    private ApiFields() {
    }

    /** The field's text, or null when it is absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    /** The field's text, or "-" when it is absent, null or blank. */
    static String orDash(JsonNode node, String field) {
        String v = text(node, field);
        return v == null || v.isBlank() ? "-" : v;
    }

    /** An instant field as a time in England to the second, or "-". */
    static String time(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null) {
            return "-";
        }
        try {
            return TIME.format(Instant.parse(v));
        } catch (DateTimeParseException e) {
            return v;
        }
    }
}
