package org.ilinks.extract.csv;

import jakarta.jms.BytesMessage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditTrail;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.governance.GovernanceConfig;
import org.ilinks.governance.GovernanceStep;
import org.ilinks.governance.Outcome;
import org.ilinks.governance.consent.ConsentDecider;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.message.LogSafe;
import org.ilinks.message.MessageHeaders;
import org.ilinks.message.MessageIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point the practice-extract pipeline calls for a delimited file: read it, govern each row for each
 * service that takes extracts, and queue one file per service holding only the rows and columns that service may
 * receive. Everything is sent through {@link ExtractContext#jms()} in the caller's JMS transaction: the services'
 * files, the malformed rows parked for support, and the audit events, so that all of them exist if and only if the
 * caller commits (with its claim on the file), and a file processed again after a crash queues nothing twice.
 */
public final class CsvExtracts {

    /** JMS property on a service's file: the name a folder endpoint writes it under. */
    public static final String FILE_NAME = "ilinksFileName";
    /** JMS properties on a parked row: which file and line it came from. */
    public static final String EXTRACT_FILE = "ilinksExtractFile";
    public static final String EXTRACT_LINE = "ilinksExtractLine";
    /** Artemis's duplicate-detection property ({@code Message.HDR_DUPLICATE_DETECTION_ID}). */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private static final Logger LOG = LoggerFactory.getLogger(CsvExtracts.class);

    private CsvExtracts() {
    }

    /**
     * Processes one extract inside the caller's JMS transaction. A bad file (header, charset) queues nothing and says
     * why; a malformed row is parked on {@code ilinks.intake.parked} with its file and line, and the rest flow.
     */
    public static CsvResult process(String ods, String fileName, byte[] content, CsvMapping mapping,
                                    ExtractContext ctx) {
        CsvReading reading = new CsvExtractReader(mapping).read(content);
        if (reading.badFileReason() != null) {
            LOG.warn("Extract {} from practice {} not used: {}", LogSafe.id(fileName), LogSafe.id(ods),
                    reading.badFileReason());
            return CsvResult.badFile(reading.badFileReason());
        }
        GovernanceConfig config = ctx.governance().get();
        Instant now = ctx.clock().instant();
        LocalDate today = LocalDate.ofInstant(now, ConsentDecider.ZONE);
        ExtractGovernor governor = new ExtractGovernor(ctx.consent(), ods, mapping.nhsNumberColumn(), now);
        List<ServiceDefinition> services = config.services().stream()
                .filter(s -> s.subscription().extracts().any()).toList();
        Map<String, ServicePart> parts = new LinkedHashMap<>();
        for (ServiceDefinition s : services) {
            parts.put(s.id(), new ServicePart(s, MessageIds.next(),
                    new ServiceExtractFile(config.profileFor(s), mapping, today)));
        }
        List<AuditEvent> events = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        int sent = 0;
        for (CsvRow row : reading.rows()) {
            ExtractRecord.Checked checked = ExtractRecord.check(row, mapping);
            if (checked.problem() != null) {
                String reason = "file " + fileName + " line " + row.line() + ": " + checked.problem();
                malformed.add(reason);
                park(ctx, mapping, row, reason, events);
                continue;
            }
            ExtractRecord record = checked.record();
            boolean sentToAny = false;
            for (ServicePart part : parts.values()) {
                RowDecision d = governor.decide(record, part.service);
                if (d.outcome() == Outcome.NOT_SUBSCRIBED) {
                    continue;
                }
                if (d.outcome() == Outcome.SEND && !part.file.hasColumns()) {
                    d = new RowDecision(Outcome.WITHHELD, "NO_EXTRACT_COLUMNS", "none of the columns its profile's "
                            + "extractColumns lists is in this extract");
                }
                part.count(d);
                events.add(ctx.audit().engineEvent(AuditEventType.CONSENT_DECISION, AuditEvent.SUCCESS, null,
                        record.nhsNumber(), part.outputId, part.service.id(), "extract " + fileName + " line "
                                + record.line() + " (" + LogSafe.id(record.recordType()) + "): " + d.reasonCode()
                                + ": " + d.sentence()));
                if (d.outcome() == Outcome.SEND) {
                    part.file.add(record);
                    sentToAny = true;
                }
            }
            if (sentToAny) {
                sent++;
            }
        }
        for (ServicePart part : parts.values()) {
            queue(ctx, ods, fileName, part, events);
        }
        // One message for the file's events, in the caller's transaction: they exist exactly when its outputs do.
        ctx.audit().sendInTransaction(events);
        LOG.info("Extract {} from practice {}: {} row(s), {} malformed, {} sent; files queued for {}",
                LogSafe.id(fileName), LogSafe.id(ods), reading.rows().size(), malformed.size(), sent,
                parts.values().stream().filter(p -> p.file.rows() > 0).map(p -> p.service.id())
                        .collect(Collectors.joining(", ", "[", "]")));
        return new CsvResult(reading.rows().size(), sent, malformed.size(), malformed, null);
    }

    /**
     * How many rows of a file each service taking extracts would be sent now, by the same reading and rules as
     * {@link #process}, sending nothing: for a check that compares what arrived with what should have (the demo's).
     * A bad file, and a service that would get no row, give no entry.
     */
    public static Map<String, Integer> rowsPerService(String ods, byte[] content, CsvMapping mapping,
                                                      GovernanceConfig config, ConsentRegistry consent, Instant now) {
        Map<String, Integer> rows = new LinkedHashMap<>();
        CsvReading reading = new CsvExtractReader(mapping).read(content);
        if (reading.badFileReason() != null) {
            return rows;
        }
        LocalDate today = LocalDate.ofInstant(now, ConsentDecider.ZONE);
        ExtractGovernor governor = new ExtractGovernor(consent, ods, mapping.nhsNumberColumn(), now);
        for (ServiceDefinition s : config.services()) {
            if (!s.subscription().extracts().any()
                    || !new ServiceExtractFile(config.profileFor(s), mapping, today).hasColumns()) {
                continue;
            }
            for (CsvRow row : reading.rows()) {
                ExtractRecord.Checked checked = ExtractRecord.check(row, mapping);
                if (checked.problem() == null && governor.decide(checked.record(), s).outcome() == Outcome.SEND) {
                    rows.merge(s.id(), 1, Integer::sum);
                }
            }
        }
        return rows;
    }

    /** The name a service's file from an extract is delivered under (a folder endpoint writes it so). */
    public static String outputName(String ods, String inputName, String serviceId, String sha256) {
        return ServiceExtractFile.name(ods, inputName, serviceId, sha256);
    }

    /** What one service gets from the file, and the counts its audit record gives. */
    private static final class ServicePart {
        final ServiceDefinition service;
        final String outputId;
        final ServiceExtractFile file;
        final Map<String, Integer> notSent = new TreeMap<>();
        int subscribed;

        ServicePart(ServiceDefinition service, String outputId, ServiceExtractFile file) {
            this.service = service;
            this.outputId = outputId;
            this.file = file;
        }

        void count(RowDecision d) {
            subscribed++;
            if (d.outcome() != Outcome.SEND) {
                notSent.merge(d.outcome().name().toLowerCase(java.util.Locale.ROOT) + " " + d.reasonCode(), 1,
                        Integer::sum);
            }
        }

        String notSentSummary() {
            return notSent.isEmpty() ? "none held back" : notSent.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
        }
    }

    private static void queue(ExtractContext ctx, String ods, String fileName, ServicePart part,
                              List<AuditEvent> events) {
        if (part.subscribed == 0) {
            return;
        }
        AuditTrail audit = ctx.audit();
        String service = part.service.id();
        if (part.file.rows() == 0) {
            events.add(audit.engineEvent(AuditEventType.WITHHELD, AuditEvent.SUCCESS, null, null, part.outputId,
                    service, "extract " + fileName + " from " + ods + ": none of its " + part.subscribed
                            + " row(s) for the service may be sent (" + part.notSentSummary() + "): no file queued"));
            return;
        }
        String name = ServiceExtractFile.name(ods, fileName, service, ctx.file().sha256());
        byte[] body = part.file.bytes();
        ctx.jms().send(part.service.queueName(), session -> {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(body);
            m.setStringProperty(MessageHeaders.MESSAGE_ID, part.outputId);
            m.setStringProperty(MessageHeaders.RECEIVED_FROM, ctx.file().receivedFrom());
            m.setLongProperty(MessageHeaders.RECEIVED_AT, ctx.clock().millis());
            m.setStringProperty(FILE_NAME, name);
            m.setStringProperty(EXTRACT_FILE, fileName);
            // The broker's duplicate detection: the same file queued again for this service (processed again after
            // its outputs were committed but before its claim was completed) is not queued twice.
            m.setStringProperty(DUPLICATE_ID, "extract:" + ods + ":" + fileName + ":" + ctx.file().sha256() + ":"
                    + service);
            return m;
        });
        String transforms = part.file.transformsApplied();
        events.add(audit.engineEvent(AuditEventType.MINIMISED, AuditEvent.SUCCESS, null, null, part.outputId,
                service, "extract " + fileName + ": profile " + service + " extractColumns"
                        + (transforms.isEmpty() ? "" : " (" + transforms + ")")));
        events.add(audit.engineEvent(AuditEventType.QUEUED, AuditEvent.SUCCESS, null, null, part.outputId, service,
                "extract " + fileName + " from " + ods + ": " + part.file.rows() + " of " + part.subscribed
                        + " row(s) queued as " + name + " on " + part.service.queueName() + " ("
                        + part.notSentSummary() + ")"));
    }

    /** A row that cannot be used goes, as it was in the file, where support finds what could not be routed. */
    private static void park(ExtractContext ctx, CsvMapping mapping, CsvRow row, String reason,
                             List<AuditEvent> events) {
        String id = MessageIds.next();
        ctx.jms().send(GovernanceStep.INTAKE_PARKED_QUEUE, session -> {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(row.raw());
            m.setStringProperty(MessageHeaders.MESSAGE_ID, id);
            m.setStringProperty(MessageHeaders.RECEIVED_FROM, ctx.file().receivedFrom());
            m.setStringProperty(MessageHeaders.PARKED_REASON, reason);
            m.setLongProperty(MessageHeaders.PARKED_AT, ctx.clock().millis());
            m.setStringProperty(EXTRACT_FILE, ctx.file().name());
            m.setIntProperty(EXTRACT_LINE, row.line());
            return m;
        });
        if (ctx.parkedRows() != null) {
            byte[] header = (String.join(String.valueOf(mapping.delimiter()), mapping.columns()) + "\r\n")
                    .getBytes(mapping.charset());
            byte[] headerAndRow = java.util.Arrays.copyOf(header, header.length + row.raw().length + 2);
            System.arraycopy(row.raw(), 0, headerAndRow, header.length, row.raw().length);
            headerAndRow[headerAndRow.length - 2] = '\r';
            headerAndRow[headerAndRow.length - 1] = '\n';
            ctx.parkedRows().parked(id, ctx.file(), row.line(), headerAndRow, reason);
        }
        events.add(ctx.audit().engineEvent(AuditEventType.PARKED, AuditEvent.MINOR_FAILURE, null, null, id, null,
                reason + " (on " + GovernanceStep.INTAKE_PARKED_QUEUE + ")"));
    }
}
