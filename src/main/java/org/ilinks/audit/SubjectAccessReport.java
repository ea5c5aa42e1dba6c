package org.ilinks.audit;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subject-access report of one patient's audit events: for each service, what it was sent (queued, delivered)
 * and what was withheld or held from it, removed or changed for it, and why (the events' details); then what the
 * engine recorded about the patient that was not for one service (received, rejected, people's look-ups). Times are
 * England's.
 */
public final class SubjectAccessReport {

    public static final ZoneId ZONE = ZoneId.of("Europe/London");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZONE);
    private static final Set<AuditEventType> SENT = EnumSet.of(AuditEventType.QUEUED, AuditEventType.DELIVERED);
    private static final Set<AuditEventType> KEPT_BACK = EnumSet.of(AuditEventType.WITHHELD, AuditEventType.HELD,
            AuditEventType.RESTRICTED_REMOVED);

    private SubjectAccessReport() {
    }

    /** The report's lines for the events (in the order recorded), without a heading. */
    public static List<String> lines(List<AuditEvent> events) {
        Map<String, List<AuditEvent>> byService = new LinkedHashMap<>();
        List<AuditEvent> engine = new ArrayList<>();
        for (AuditEvent e : events) {
            if (e.serviceId() == null) {
                engine.add(e);
            } else {
                byService.computeIfAbsent(e.serviceId(), s -> new ArrayList<>()).add(e);
            }
        }
        List<String> lines = new ArrayList<>();
        byService.forEach((service, list) -> {
            long sent = list.stream().filter(e -> e.type() == AuditEventType.DELIVERED).count();
            long queued = list.stream().filter(e -> e.type() == AuditEventType.QUEUED).count();
            long keptBack = list.stream().filter(e -> KEPT_BACK.contains(e.type())).count();
            lines.add("Service " + service + ": delivered " + sent + ", queued " + queued
                    + ", withheld, held or removed " + keptBack);
            list.forEach(e -> lines.add(line(label(e.type()), e)));
        });
        if (!engine.isEmpty()) {
            lines.add("Not for one service: " + engine.size());
            engine.forEach(e -> lines.add(line(e.type() == AuditEventType.PERSON_ACTION ? "looked up"
                    : e.type().name().toLowerCase(java.util.Locale.ROOT), e)));
        }
        return lines;
    }

    private static String label(AuditEventType type) {
        if (SENT.contains(type)) {
            return "sent";
        }
        if (KEPT_BACK.contains(type)) {
            return "withheld";
        }
        return type == AuditEventType.CONSENT_DECISION ? "consent" : "other";
    }

    private static String line(String label, AuditEvent e) {
        StringBuilder s = new StringBuilder("  ").append(String.format("%-9s", label)).append(' ')
                .append(TIME.format(e.recordedAt())).append("  ").append(e.type().name());
        if (e.messageId() != null) {
            s.append("  message ").append(e.messageId());
        }
        if (e.type() == AuditEventType.PERSON_ACTION) {
            s.append("  by ").append(e.actorId());
        }
        if (e.detail() != null && !e.detail().isBlank()) {
            s.append("  ").append(e.detail());
        }
        return s.toString();
    }
}
