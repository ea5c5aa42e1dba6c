package org.ilinks.audit;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.ilinks.config.Settings;
import org.ilinks.message.MessageIds;

/**
 * Records what a person does through the CLI or the admin API in the audit trail: who, from where, what, about whom,
 * and the purpose they gave. Recorded before the action shows or changes anything, so an action that cannot be
 * audited does not happen.
 */
public final class PersonActions {

    /** The audit source of actions through the command line, before {@code @node}. */
    public static final String CLI = "ilinks-cli";
    /** The audit source of actions through the admin API, before {@code @node}. */
    public static final String ADMIN_API = "ilinks-admin";

    private PersonActions() {
    }

    /**
     * A successful action through the CLI, recorded by a store of its own.
     *
     * @param what      the command and what it was asked, e.g. {@code consent show}; never a patient's details
     * @param nhsNumber the patient it was about, or null
     * @param purpose   the reason the person gave, or null
     * @throws AuditStoreException          when the database cannot record it
     * @throws java.io.UncheckedIOException when the head file cannot be written
     */
    public static void record(DataSource dataSource, Settings settings, String user, String what, String nhsNumber,
                              String messageId, String serviceId, String purpose) {
        record(new AuditStore(dataSource, new AuditHeadFile(settings.auditHeadFile())),
                CLI + "@" + settings.nodeName(), user, null, AuditEvent.SUCCESS, what, nhsNumber, messageId,
                serviceId, purpose);
    }

    /**
     * An action, successful or not, recorded through the given store (in the engine: the one its audit writer uses,
     * so both keep one head file in order).
     *
     * @param source  where it was done: {@link #CLI} or {@link #ADMIN_API}, then {@code @} and the node name
     * @param address the person's network address, or null
     * @param outcome {@link AuditEvent#SUCCESS}, or a failure code for a refused action (a failed login)
     */
    public static void record(AuditStore store, String source, String user, String address, int outcome,
                              String what, String nhsNumber, String messageId, String serviceId, String purpose) {
        String detail = what + (purpose == null || purpose.isBlank() ? "" : "; purpose: " + purpose.strip());
        AuditEvent event = new AuditEvent(MessageIds.next(), AuditEventType.PERSON_ACTION, outcome, Instant.now(),
                AuditEvent.PERSON, user == null || user.isBlank() ? "unknown" : user.strip(), address, source,
                nhsNumber, messageId, serviceId, detail);
        store.append(List.of(event));
    }
}
