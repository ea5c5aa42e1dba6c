package org.ilinks.admin;

import java.time.Clock;
import java.util.Optional;

/**
 * Finds the caller of a request: a session id (the {@code ilinks_session} cookie, or {@code Authorization: Bearer}
 * for clients without cookies) or an API token ({@code Authorization: Bearer}). Both are 256-bit random values, so
 * one header serves both. A disabled or deleted user is nobody, whatever they hold.
 */
final class Authenticator {

    static final String COOKIE = "ilinks_session";

    private final UserStore users;
    private final Sessions sessions;
    private final Clock clock;

    Authenticator(UserStore users, Sessions sessions, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.clock = clock;
    }

    Optional<Caller> caller(String authorization, String cookieHeader) {
        String bearer = bearer(authorization);
        if (bearer != null) {
            Optional<Caller> bySession = bySession(bearer);
            if (bySession.isPresent()) {
                return bySession;
            }
            return users.useToken(Secrets.sha256(bearer), clock.instant())
                    .flatMap(t -> users.find(t.username()))
                    .filter(u -> !u.disabled())
                    .map(u -> new Caller(u.username(), u.roles(), u.mustChangePassword(), "token", null));
        }
        String cookie = cookie(cookieHeader);
        return cookie == null ? Optional.empty() : bySession(cookie);
    }

    private Optional<Caller> bySession(String id) {
        return sessions.use(id).flatMap(s -> users.find(s.username()))
                .filter(u -> !u.disabled())
                .map(u -> new Caller(u.username(), u.roles(), u.mustChangePassword(), "session", id));
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.strip();
        return a.regionMatches(true, 0, "Bearer ", 0, 7) && a.length() > 7 ? a.substring(7).strip() : null;
    }

    static String cookie(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.strip();
            if (p.startsWith(COOKIE + "=")) {
                String v = p.substring(COOKIE.length() + 1);
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }
}
