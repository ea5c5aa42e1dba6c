package org.ilinks.extract.csv;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import org.ilinks.audit.AuditTrail;
import org.ilinks.governance.GovernanceConfig;
import org.ilinks.governance.consent.ConsentRegistry;
import org.springframework.jms.core.JmsOperations;

/**
 * What {@link CsvExtracts#process} needs from the file pipeline that calls it.
 *
 * @param jms        sends on the broker inside the caller's JMS transaction (a Spring JmsTemplate on the engine's
 *                   connection factory, used within the caller's transaction), so a file's outputs, its parked
 *                   records and its audit events commit together with the claim's completion, or not at all
 * @param audit      the audit trail; events are sent with {@link AuditTrail#sendInTransaction}, in that transaction
 * @param consent    the consent registry the patients' directives are read from
 * @param governance the configuration in force (services, profiles), read once per file
 * @param clock      the engine's clock: consent is judged, and ages banded, at its now
 * @param file       which file this is (practice, name, SHA-256), for output names, parking reasons and audit
 */
public record ExtractContext(JmsOperations jms, AuditTrail audit, ConsentRegistry consent,
                             Supplier<GovernanceConfig> governance, Clock clock, ExtractFile file,
                             ParkedRows parkedRows) {

    /** Where a parked row is recorded so that support can find it and replay it (the message history). */
    @FunctionalInterface
    public interface ParkedRows {
        /**
         * @param headerAndRow the mapping's header line and the row as it was in the file: a one-row extract
         */
        void parked(String messageId, ExtractFile file, int line, byte[] headerAndRow, String reason);
    }

    /** A context whose parked rows are not recorded anywhere but on the parked queue. */
    public ExtractContext(JmsOperations jms, AuditTrail audit, ConsentRegistry consent,
                          Supplier<GovernanceConfig> governance, Clock clock, ExtractFile file) {
        this(jms, audit, consent, governance, clock, file, null);
    }

    public ExtractContext {
        Objects.requireNonNull(jms, "jms");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(consent, "consent");
        Objects.requireNonNull(governance, "governance");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(file, "file");
    }

    /**
     * The identity of the file being processed: the claim's key.
     *
     * @param sha256 lower-case hex SHA-256 of the file's bytes
     */
    public record ExtractFile(String ods, String name, long size, String sha256) {
        public ExtractFile {
            Objects.requireNonNull(ods, "ods");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sha256, "sha256");
        }

        /** Where its records came from, as the {@code ilinksReceivedFrom} header says for MLLP. */
        public String receivedFrom() {
            return "sftp:" + ods + "/" + name;
        }
    }
}
