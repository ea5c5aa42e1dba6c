package org.ilinks.admin;

import java.time.Instant;

/** An API token as stored in admin_token: everything but the token itself, which is never kept. */
public record ApiToken(long id, String username, String label, Instant createdAt, Instant expiresAt,
                       Instant lastUsedAt, Instant revokedAt) {
}
