package org.ilinks.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ilinks.message.MessageIds;

/** Synthetic audit events for tests: synthetic patients, made-up services. */
final class AuditEvents {

    static final String NHS = "9434765919";
    static final Instant T0 = Instant.parse("2026-06-15T10:00:00.123456789Z");

    private AuditEvents() {
    }

    static AuditEvent hop(AuditEventType type, String messageId, String service, String detail, int minute) {
        return new AuditEvent(MessageIds.next(), type, AuditEvent.SUCCESS, T0.plusSeconds(60L * minute),
                AuditEvent.SYSTEM, "node-1", null, "node-1", NHS, messageId, service, detail);
    }

    static List<AuditEvent> batch(int n) {
        List<AuditEvent> events = new ArrayList<>();
        String message = MessageIds.next();
        for (int i = 0; i < n; i++) {
            events.add(hop(AuditEventType.QUEUED, message, "svc-" + (i % 3), "ADT^A01", i));
        }
        return events;
    }
}
