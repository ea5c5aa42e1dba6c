package org.ilinks.delivery;

/**
 * Exchange properties the service delivery route template sets for its own steps. Properties, not headers, so none
 * of them travels with a delivered or parked copy.
 */
public final class DeliveryProperties {

    public static final String SERVICE_ID = "ilinksServiceId";
    public static final String PARKED_QUEUE = "ilinksParkedQueue";
    public static final String MAX_ATTEMPTS = "ilinksMaxAttempts";
    public static final String ENDPOINT_KIND = "ilinksEndpointKind";
    public static final String INITIAL_DELAY_MS = "ilinksInitialDelayMs";
    public static final String BACKOFF_MULTIPLIER = "ilinksBackoffMultiplier";
    public static final String MAX_DELAY_MS = "ilinksMaxDelayMs";
    /** Deliveries made so far of a message the service answered AE (or not with an ACK); set by {@link RetryBudget}. */
    public static final String ATTEMPTS = "ilinksAttempts";
    /** The parked copy this copy must wait behind (a service with whenParked: hold-patient); set by {@link PatientHolds}. */
    public static final String WAITING_BEHIND = "ilinksWaitingBehind";

    private DeliveryProperties() {
    }
}
