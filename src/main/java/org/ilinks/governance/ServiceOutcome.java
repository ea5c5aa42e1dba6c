package org.ilinks.governance;

import java.util.List;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.governance.minimise.MinimisedMessage;

/**
 * The decision for one message and one service, and why, in a code and in a sentence a person understands. Neither
 * ever holds patient data: practice codes, message types and directive dates appear, NHS numbers and names never.
 *
 * @param message what the service receives when {@link Outcome#SEND}, otherwise null
 * @param changes what was removed or changed for this service (restricted data first, then minimisation); paths
 *                and kinds only, never values
 */
public record ServiceOutcome(ServiceDefinition service, Outcome outcome, String reasonCode, String reason,
                             MinimisedMessage message, List<String> changes) {

    public ServiceOutcome {
        changes = List.copyOf(changes);
    }

    static ServiceOutcome without(ServiceDefinition service, Outcome outcome, String reasonCode, String reason) {
        return new ServiceOutcome(service, outcome, reasonCode, reason, null, List.of());
    }
}
