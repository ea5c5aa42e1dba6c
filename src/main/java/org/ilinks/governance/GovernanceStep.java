package org.ilinks.governance;

import org.apache.camel.Exchange;

/**
 * The place where information governance happens on the way from intake to the services: consent and opt-out,
 * legally restricted data, and data minimisation per service. Today every message passes unchanged; the consent
 * registry and minimisation profiles plug in here, named by the routing route as the {@code governance} bean.
 */
public final class GovernanceStep {

    public void apply(Exchange exchange) {
        // Intentionally empty until consent and minimisation exist: nothing is withheld or changed yet.
    }
}
