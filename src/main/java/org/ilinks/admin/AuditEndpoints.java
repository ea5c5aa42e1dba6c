package org.ilinks.admin;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import javax.sql.DataSource;
import org.ilinks.audit.AuditCsv;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.audit.AuditVerifier;
import org.ilinks.audit.FhirAuditEvents;
import org.ilinks.audit.SubjectAccessReport;
import org.ilinks.audit.VerifyReport;
import org.ilinks.hl7.NhsNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit questions of the CLI's {@code audit} commands over HTTP, answered by the same classes (AuditVerifier,
 * AuditStore, SubjectAccessReport, FhirAuditEvents, AuditCsv). Each use is recorded first, with its purpose; the
 * look-ups (trail, patient, export) need one.
 */
final class AuditEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(AuditEndpoints.class);

    private final DataSource dataSource;
    private final AuditStore store;
    private final AuditHeadFile head;
    private final ApiAudit audit;
    private final ExecutorService exports;

    AuditEndpoints(DataSource dataSource, AuditStore store, AuditHeadFile head, ApiAudit audit,
                   ExecutorService exports) {
        this.dataSource = dataSource;
        this.store = store;
        this.head = head;
        this.audit = audit;
        this.exports = exports;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.needs(Permission.AUDIT, "GET", "/api/audit/verify", this::verify),
                Endpoint.needs(Permission.AUDIT, "GET", "/api/audit/trail/{messageId}", this::trail),
                Endpoint.needs(Permission.AUDIT, "GET", "/api/audit/patient/{nhsNumber}", this::patient),
                Endpoint.needs(Permission.AUDIT, "GET", "/api/audit/export", this::export));
    }

    private ApiResponse verify(ApiRequest request) {
        request.onlyQuery("purpose");
        audit.record(request, "audit verify", null, null, null, request.query("purpose"));
        VerifyReport report = AuditVerifier.verify(dataSource, head);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("verified", report.ok());
        body.put("records", report.records());
        body.put("problem", report.problem());
        body.put("firstBadSeq", report.firstBadSeq());
        return ApiResponse.json(body);
    }

    private ApiResponse trail(ApiRequest request) {
        request.onlyQuery("purpose");
        String purpose = purpose(request);
        String id = request.path("messageId").strip();
        if (!id.matches("[0-9A-Za-z]{1,64}")) {
            throw ApiException.badRequest("messageId must be the engine's message id (letters and digits)");
        }
        audit.record(request, "audit trail", null, id, null, purpose);
        List<Map<String, Object>> events = store.trail(id).stream().map(AuditEndpoints::view).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messageId", id);
        body.put("events", events);
        return ApiResponse.json(body);
    }

    private ApiResponse patient(ApiRequest request) {
        request.onlyQuery("from", "to", "purpose");
        String nhsNumber = request.path("nhsNumber");
        if (!NhsNumber.isValid(nhsNumber)) {
            throw ApiException.badRequest("the NHS number is not a valid one");
        }
        Days days = days(request);
        String purpose = purpose(request);
        String nhs = NhsNumber.normalise(nhsNumber);
        audit.record(request, "audit patient" + days.asOptions(), nhs, null, null, purpose);
        List<AuditEvent> events = store.patient(nhs, days.fromInstant(), days.toInstant());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nhsNumber", nhs);
        body.put("from", days.from == null ? null : days.from.toString());
        body.put("to", days.to == null ? null : days.to.toString());
        body.put("events", events.size());
        body.put("report", SubjectAccessReport.lines(events));
        return ApiResponse.json(body);
    }

    private ApiResponse export(ApiRequest request) {
        request.onlyQuery("format", "from", "to", "type", "service", "message", "purpose");
        String format = request.query("format");
        if (!"fhir".equals(format) && !"csv".equals(format)) {
            throw ApiException.badRequest("format must be fhir or csv");
        }
        Days days = days(request);
        AuditEventType type = null;
        if (request.query("type") != null) {
            try {
                type = AuditEventType.valueOf(request.query("type"));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("type must be an audit event type, e.g. DELIVERED");
            }
        }
        String service = request.query("service");
        String message = request.query("message");
        String purpose = purpose(request);
        String what = "audit export --format " + format + days.asOptions() + (type == null ? "" : " --type "
                + type.name()) + (service == null ? "" : " --service " + service);
        audit.record(request, what, null, message, service, purpose);
        AuditStore.Filter filter = new AuditStore.Filter(days.fromInstant(), days.toInstant(), type, service, message,
                null);
        return ApiResponse.stream("csv".equals(format) ? "text/csv; charset=utf-8" : "application/x-ndjson",
                stream(filter, "csv".equals(format)));
    }

    /**
     * Streams the export: a thread of its own writes the events page by page into a pipe the HTTP response reads,
     * so the trail is never held whole in memory. If the client goes away, the next write fails and the thread ends.
     */
    private PipedInputStream stream(AuditStore.Filter filter, boolean csv) {
        PipedInputStream in = new PipedInputStream(64 * 1024);
        PipedOutputStream out;
        try {
            out = new PipedOutputStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        exports.submit(() -> {
            try (PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false)) {
                if (csv) {
                    w.print(AuditCsv.header() + "\n");
                    store.forEach(filter, s -> line(w, AuditCsv.row(s)));
                } else {
                    FhirAuditEvents fhir = new FhirAuditEvents();
                    store.forEach(filter, s -> line(w, fhir.json(s)));
                }
            } catch (RuntimeException e) {
                LOG.warn("Audit export ended early: {}", e.getClass().getSimpleName());
            }
        });
        return in;
    }

    private static void line(PrintWriter w, String line) {
        w.print(line);
        w.print('\n');
        if (w.checkError()) {
            throw new IllegalStateException("the client stopped reading");
        }
    }

    private static String purpose(ApiRequest request) {
        return ApiRequest.requiredPurpose(request.query("purpose"));
    }

    static Map<String, Object> view(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", e.eventId());
        m.put("time", e.recordedAt().toString());
        m.put("type", e.type().name());
        m.put("action", e.action());
        m.put("outcome", e.outcome());
        m.put("actorType", e.actorType());
        m.put("actor", e.actorId());
        m.put("actorAddress", e.actorAddress());
        m.put("source", e.source());
        m.put("messageId", e.messageId());
        m.put("service", e.serviceId());
        m.put("detail", e.detail());
        return m;
    }

    /** The from/to days of a query, whole days in England, both included (as the CLI's --from and --to). */
    record Days(LocalDate from, LocalDate to) {

        Instant fromInstant() {
            return from == null ? null : from.atStartOfDay(SubjectAccessReport.ZONE).toInstant();
        }

        Instant toInstant() {
            return to == null ? null : to.plusDays(1).atStartOfDay(SubjectAccessReport.ZONE).toInstant();
        }

        String asOptions() {
            return (from == null ? "" : " --from " + from) + (to == null ? "" : " --to " + to);
        }
    }

    private static Days days(ApiRequest request) {
        LocalDate from = day(request, "from");
        LocalDate to = day(request, "to");
        if (from != null && to != null && to.isBefore(from)) {
            throw ApiException.badRequest("to is before from");
        }
        return new Days(from, to);
    }

    private static LocalDate day(ApiRequest request, String name) {
        String v = request.query(name);
        try {
            return v == null ? null : LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be a day, yyyy-MM-dd");
        }
    }
}
