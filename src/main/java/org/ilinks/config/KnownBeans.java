package org.ilinks.config;

import java.util.Set;

/**
 * Names of the beans the engine binds into Camel's registry before loading routes. Route files may refer only to
 * these ({@code ref:}, {@code bean:}, {@code #bean:}); keep this list in step with the engine's bean registration.
 */
public final class KnownBeans {

    public static final Set<String> NAMES = Set.of(
            "intakeInspector",
            "intakeAcknowledger",
            "duplicateFilter",
            "governance",
            "deliveryConsent",
            "auditTrail",
            "deliveryLog",
            "parkingLot",
            "patientHolds",
            "retryBudget",
            "retryDelay",
            "history",
            "historyRetention",
            "extractPipeline",
            "extractPolls");

    private KnownBeans() {
    }
}
