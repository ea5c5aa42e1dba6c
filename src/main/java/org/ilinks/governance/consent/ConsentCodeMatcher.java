package org.ilinks.governance.consent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ilinks.governance.CodeSystems;
import org.ilinks.hl7.Hl7Inspector;
import org.ilinks.hl7.Inspection;
import org.ilinks.hl7.MessageHeader;
import org.ilinks.hl7.Splitter;

/**
 * Finds configured consent codes (e.g. the SNOMED CT dissent codes GP systems record) in a message's coded fields
 * and says which directives to record or end. Coded fields read: OBX-3, and OBX-5 when OBX-2 is CE, CWE or CNE
 * (every repetition); in each, both the first triplet ({@code code^text^system}) and the alternate one
 * (components 4 to 6). The patient is the NHS number as intake finds it ({@link Hl7Inspector}); the source is the
 * sending facility (MSH-4, the practice's ODS code); the day is OBX-14, else MSH-7, else the day received.
 */
public final class ConsentCodeMatcher {

    private static final Set<String> CODED_TYPES = Set.of("CE", "CWE", "CNE");
    private static final DateTimeFormatter HL7_DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final List<ConsentCodeRule> rules;
    private final Hl7Inspector inspector =
            new Hl7Inspector(Hl7Inspector.DEFAULT_ACCEPTED_VERSIONS, StandardCharsets.UTF_8);

    public ConsentCodeMatcher(List<ConsentCodeRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * @param raw       the message as received
     * @param messageId the engine's internal id of the message, recorded as each directive's source message
     * @param received  when it was received; its day is used when the message carries no date
     * @return the changes, in the order found; empty when no code matches or the patient has no valid NHS number
     */
    public List<ConsentChange> match(byte[] raw, String messageId, Instant received) {
        if (rules.isEmpty()) {
            return List.of();
        }
        Inspection inspection = inspector.inspect(raw);
        if (!inspection.accepted() || !inspection.patientKeyIsNhsNumber()) {
            return List.of();
        }
        MessageHeader header = inspection.header();
        String text = new String(raw, inspection.charset());
        char field = header.fieldSeparator().charAt(0);
        char component = header.encodingCharacters().charAt(0);
        char repetition = header.encodingCharacters().charAt(1);
        LocalDate messageDay = null;
        List<ConsentChange> changes = new ArrayList<>();
        int obxIndex = 0;
        for (String segment : text.split("[\r\n]+")) {
            List<String> fields = Splitter.split(segment, field);
            if (fields.get(0).equals("MSH")) {
                // MSH-1 is the separator itself, so MSH-n is fields[n-1].
                messageDay = day(fields.size() > 6 ? first(fields.get(6), component) : "");
                continue;
            }
            if (!fields.get(0).equals("OBX")) {
                continue;
            }
            obxIndex++;
            LocalDate day = day(fields.size() > 14 ? first(fields.get(14), component) : "");
            day = day != null ? day : messageDay != null ? messageDay : LocalDate.ofInstant(received,
                    ConsentDecider.ZONE);
            Context context = new Context(inspection.patientKey(), header, messageId, day, received);
            look(fields, 3, "OBX[" + obxIndex + "]-3", repetition, component, context, changes);
            String valueType = fields.size() > 2 ? fields.get(2).strip() : "";
            if (CODED_TYPES.contains(valueType)) {
                look(fields, 5, "OBX[" + obxIndex + "]-5", repetition, component, context, changes);
            }
        }
        return changes;
    }

    private record Context(String nhsNumber, MessageHeader header, String messageId, LocalDate day,
                           Instant received) {
    }

    private void look(List<String> fields, int index, String where, char repetition, char component,
                      Context context, List<ConsentChange> changes) {
        if (fields.size() <= index) {
            return;
        }
        for (String rep : Splitter.split(fields.get(index), repetition)) {
            List<String> parts = Splitter.split(rep, component);
            // Only the first triplet and the alternate one (components 4 to 6) are codings.
            for (int start : new int[] {0, 3}) {
                String code = part(parts, start);
                String system = part(parts, start + 2);
                if (code.isBlank()) {
                    continue;
                }
                for (ConsentCodeRule rule : rules) {
                    if (rule.matches(system, code)) {
                        changes.add(new ConsentChange(rule.effect(), directive(rule, context, where), where));
                    }
                }
            }
        }
    }

    private static ConsentDirective directive(ConsentCodeRule rule, Context c, String where) {
        String facility = c.header().sendingFacility();
        String application = c.header().sendingApplication();
        return ConsentDirective.builder(c.nhsNumber(), rule.scope(), rule.scopeValue(), rule.effect().choice(),
                        c.day())
                .source(DirectiveSource.PRACTICE, facility.isBlank() ? null : facility)
                .recordedBy(application.isBlank() ? "HL7 message" : "HL7 message from " + application)
                .reason("coded entry " + CodeSystems.canonical(rule.codeSystem()) + " " + rule.code() + " in "
                        + where)
                .recordedAt(c.received())
                .sourceMessageId(c.messageId())
                .build();
    }

    private static LocalDate day(String hl7Timestamp) {
        String t = hl7Timestamp.strip();
        if (t.length() < 8) {
            return null;
        }
        try {
            return LocalDate.parse(t.substring(0, 8), HL7_DAY);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String first(String value, char component) {
        int at = value.indexOf(component);
        return at < 0 ? value : value.substring(0, at);
    }

    private static String part(List<String> parts, int index) {
        return index < parts.size() ? parts.get(index) : "";
    }
}
