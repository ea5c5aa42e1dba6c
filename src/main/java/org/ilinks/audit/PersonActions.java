package org.ilinks.audit;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.ilinks.config.Settings;
import org.ilinks.message.MessageIds;

/**
 * Records what a person does through the CLI (and later the admin API) in the audit trail: who, what, about whom,
 * and the purpose they gave. Recorded before the action shows or changes anything, so an action that cannot be
 * audited does not happen.
 */
public final class PersonActions {

    private PersonActions() {
    }

    /**
     * @param what      the command and what it was asked, e.g. {@code consent show}; never a patient's details
     * @param nhsNumber the patient it was about, or null
     * @param purpose   the reason the person gave, or null
     * @throws AuditStoreException          when the database cannot record it
     * @throws java.io.UncheckedIOException when the head file cannot be written
     */
    public static void record(DataSource dataSource, Settings settings, String user, String what, String nhsNumber,
                              String messageId, String serviceId, String purpose) {
        String detail = what + (purpose == null || purpose.isBlank() ? "" : "; purpose: " + purpose.strip());
        AuditEvent event = new AuditEvent(MessageIds.next(), AuditEventType.PERSON_ACTION, AuditEvent.SUCCESS,
                Instant.now(), AuditEvent.PERSON, user == null || user.isBlank() ? "unknown" : user.strip(), null,
                "ilinks-cli@" + settings.nodeName(), nhsNumber, messageId, serviceId, detail);
        new AuditStore(dataSource, new AuditHeadFile(settings.auditHeadFile())).append(List.of(event));
    }
}
