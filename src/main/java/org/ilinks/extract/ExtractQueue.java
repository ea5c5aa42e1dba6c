package org.ilinks.extract;

import jakarta.jms.BytesMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.support.DefaultMessage;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditTrail;
import org.ilinks.governance.GovernanceStep;
import org.ilinks.history.HistoryRecorder;
import org.ilinks.intake.IntakeHeaders;
import org.ilinks.message.MessageHeaders;
import org.ilinks.message.MessageIds;
import org.springframework.jms.core.JmsOperations;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Puts all the records of one practice file on the engine's queues in ONE JMS transaction: each good one on the
 * intake queue with the headers intake gives an MLLP message (routing then does governance, history, audit and
 * delivery exactly as for MLLP), each malformed one on {@code ilinks.intake.parked} with its file and line, recorded
 * in the message history like a message parked at routing so support can find and replay it. Either every record of
 * the file is queued or none is.
 */
final class ExtractQueue {

    static final String INTAKE_QUEUE = "ilinks.intake";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExtractQueue.class);

    /** How many records went where. */
    record Queued(int queued, int parked, List<String> parkedReasons) {
    }

    private final JmsOperations jms;
    private final TransactionOperations transaction;
    private final HistoryRecorder history;
    private final AuditTrail audit;
    private final Clock clock;

    private final org.ilinks.governance.consent.ConsentRegistry consent;
    private final java.util.function.Supplier<org.ilinks.governance.GovernanceConfig> governance;

    ExtractQueue(JmsOperations jms, TransactionOperations transaction, HistoryRecorder history, AuditTrail audit,
                 org.ilinks.governance.consent.ConsentRegistry consent,
                 java.util.function.Supplier<org.ilinks.governance.GovernanceConfig> governance, Clock clock) {
        this.consent = consent;
        this.governance = governance;
        this.jms = jms;
        this.transaction = transaction;
        this.history = history;
        this.audit = audit;
        this.clock = clock;
    }

    Queued send(String ods, String fileName, String sha256, List<Hl7Extract.Record> records, CamelContext camel) {
        String from = "sftp:" + ods + "/" + fileName;
        List<String> reasons = new ArrayList<>();
        int[] queued = {0};
        transaction.executeWithoutResult(tx -> {
            List<AuditEvent> events = new ArrayList<>();
            reasons.clear();
            queued[0] = 0;
            for (Hl7Extract.Record r : records) {
                String id = MessageIds.next();
                Map<String, Object> headers = IntakeHeaders.of(id, clock.millis(), from, r.inspection());
                headers.put(MessageHeaders.RECORD_KEY, sha256 + "#" + r.index());
                if (r.inspection().accepted()) {
                    send(INTAKE_QUEUE, r.bytes(), headers);
                    queued[0]++;
                    continue;
                }
                // Intake would have answered AR: nothing of it reaches a service; support can replay it once fixed.
                String reason = "file " + fileName + " line " + r.line() + ": " + r.inspection().rejection().summary();
                headers.put(MessageHeaders.PARKED_REASON, reason);
                headers.put(MessageHeaders.PARKED_AT, clock.millis());
                send(GovernanceStep.INTAKE_PARKED_QUEUE, r.bytes(), headers);
                DefaultMessage message = new DefaultMessage(camel);
                headers.forEach(message::setHeader);
                history.parkedAtRouting(message, r.bytes(), reason, clock.instant());
                events.add(audit.engineEvent(AuditEventType.PARKED, AuditEvent.SERIOUS_FAILURE, from, null, id, null,
                        "malformed record of practice " + ods + ", " + reason + " (on "
                                + GovernanceStep.INTAKE_PARKED_QUEUE + ")"));
                reasons.add(reason);
            }
            audit.sendInTransaction(events);
        });
        return new Queued(queued[0], reasons.size(), List.copyOf(reasons));
    }

    /**
     * A delimited extract: read, governed row by row and cut into one file per service (see
     * {@link org.ilinks.extract.csv.CsvExtracts}), all of it queued in one JMS transaction, or nothing.
     */
    org.ilinks.extract.csv.CsvResult sendCsv(String ods, String fileName, String sha256, byte[] content,
                                             org.ilinks.extract.csv.CsvMapping mapping) {
        org.ilinks.extract.csv.ExtractContext ctx = new org.ilinks.extract.csv.ExtractContext(jms, audit, consent,
                governance, clock, new org.ilinks.extract.csv.ExtractContext.ExtractFile(ods, fileName,
                content.length, sha256),
                (id, file, line, row, reason) -> history.parkedExtractRow(id, file.ods(), file.name(), line, row,
                        reason));
        org.ilinks.extract.csv.CsvResult[] result = new org.ilinks.extract.csv.CsvResult[1];
        try {
            transaction.executeWithoutResult(tx -> result[0] = org.ilinks.extract.csv.CsvExtracts.process(ods,
                    fileName, content, mapping, ctx));
        } catch (RuntimeException e) {
            if (result[0] == null || !duplicateRejected(e)) {
                throw e;
            }
            // The broker already has this file's outputs (queued before its claim could be completed): the whole
            // transaction was ignored, nothing was queued twice, and the file is done.
            LOG.info("Practice {}: file {} was queued before; the broker kept the earlier copies", ods,
                    org.ilinks.message.LogSafe.id(fileName));
        }
        return result[0];
    }

    /** Whether a commit failed because the broker found the transaction's messages already queued. */
    static boolean duplicateRejected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException) {
                return true;
            }
            if (t instanceof jakarta.jms.JMSException j && j.getLinkedException() != null
                    && duplicateRejected(j.getLinkedException())) {
                return true;
            }
        }
        return false;
    }

    private void send(String queue, byte[] body, Map<String, Object> headers) {
        jms.send(queue, session -> {
            BytesMessage out = session.createBytesMessage();
            out.writeBytes(body);
            for (Map.Entry<String, Object> h : headers.entrySet()) {
                if (h.getValue() instanceof Long number) {
                    out.setLongProperty(h.getKey(), number);
                } else if (h.getValue() != null) {
                    out.setStringProperty(h.getKey(), h.getValue().toString());
                }
            }
            return out;
        });
    }
}
