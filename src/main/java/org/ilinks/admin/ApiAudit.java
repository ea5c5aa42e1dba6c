package org.ilinks.admin;

import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditStore;
import org.ilinks.audit.PersonActions;

/**
 * Records the API's person actions through the one audit path ({@link PersonActions}), with the engine's audit store,
 * source {@code ilinks-admin@<node>} and the client's address. Called before an action shows or changes anything: if
 * it cannot be recorded, the request ends with 503 and nothing happens.
 */
public final class ApiAudit {

    private final AuditStore store;
    private final String source;

    public ApiAudit(AuditStore store, String nodeName) {
        this.store = store;
        this.source = PersonActions.ADMIN_API + "@" + nodeName;
    }

    /** A successful action by the request's caller. */
    public void record(ApiRequest request, String what, String nhsNumber, String messageId, String serviceId,
                       String purpose) {
        record(request.caller().username(), request.address(), AuditEvent.SUCCESS, what, nhsNumber, messageId,
                serviceId, purpose);
    }

    /** An action by a named person, successful or refused (a failed login names the user name tried). */
    public void record(String user, String address, int outcome, String what, String nhsNumber, String messageId,
                       String serviceId, String purpose) {
        try {
            PersonActions.record(store, source, user, address, outcome, what, nhsNumber, messageId, serviceId,
                    purpose);
        } catch (RuntimeException e) {
            throw new ApiException(503, "nothing done: the action could not be recorded in the audit trail");
        }
    }
}
