package org.ilinks.history;

import java.time.Instant;

/**
 * One service's part in a message's history: governance's decision (from {@code routing_decision}) and where the copy
 * stands now. Holds no patient data: reasons and errors are the engine's own words.
 */
public record ServiceState(String serviceId, DeliveryStatus status, String outcome, String reasonCode, String reason,
                           String changes, String stage, Instant decidedAt, int attempts, String lastError,
                           Instant lastAttemptAt, Instant deliveredAt, Instant statusAt) {
}
