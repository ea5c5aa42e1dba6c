package org.ilinks.admin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ilinks.audit.AuditEvent;

/** Log in, log out, who am I, change my password. */
final class AccountEndpoints {

    static final int MIN_PASSWORD = 12;
    private static final String WRONG = "user name or password is wrong";

    private final UserStore users;
    private final Sessions sessions;
    private final LoginLimiter limiter;
    private final ApiAudit audit;
    private final Duration idle;

    AccountEndpoints(UserStore users, Sessions sessions, LoginLimiter limiter, ApiAudit audit, Duration idle) {
        this.users = users;
        this.sessions = sessions;
        this.limiter = limiter;
        this.audit = audit;
        this.idle = idle;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.open("POST", "/api/login", this::login),
                new Endpoint("POST", "/api/logout", Permission.SIGNED_IN, true, this::logout),
                new Endpoint("GET", "/api/me", Permission.SIGNED_IN, true, this::me),
                new Endpoint("POST", "/api/me/password", Permission.SIGNED_IN, true, this::changePassword));
    }

    private ApiResponse login(ApiRequest request) {
        request.onlyQuery();
        request.json("username", "password");
        String username = request.text("username");
        String password = request.text("password");
        // Only a well-formed name goes into the audit record; anything else might be a password typed in the wrong box.
        String who = AdminUser.validName(username) ? username : "unknown";
        Duration wait = limiter.wait(who, request.address());
        if (!wait.isZero()) {
            audit.record(who, request.address(), AuditEvent.MINOR_FAILURE, "login refused: too many failed logins",
                    null, null, null, null);
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new ApiException(429, "too many failed logins: try again later",
                    Map.of("Retry-After", Long.toString(seconds)));
        }
        Optional<AdminUser> user = AdminUser.validName(username) ? users.find(username) : Optional.empty();
        // The decoy keeps an unknown user as slow to refuse as a wrong password.
        boolean matches = PasswordHash.matches(password, user.map(AdminUser::passwordHash).orElse(PasswordHash.DECOY));
        if (user.isEmpty() || !matches || user.get().disabled()) {
            limiter.failed(who, request.address());
            audit.record(who, request.address(), AuditEvent.MINOR_FAILURE, "login failed", null, null, null, null);
            throw new ApiException(401, WRONG);
        }
        limiter.succeeded(who);
        AdminUser u = user.get();
        audit.record(u.username(), request.address(), AuditEvent.SUCCESS, "login", null, null, null, null);
        String id = sessions.start(u.username());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", u.username());
        body.put("roles", u.roles().stream().sorted().map(Role::word).toList());
        body.put("mustChangePassword", u.mustChangePassword());
        body.put("session", id);
        body.put("idleMinutes", idle.toMinutes());
        return ApiResponse.json(body).header("Set-Cookie", Authenticator.COOKIE + "=" + id
                + "; Path=/; HttpOnly; SameSite=Strict" + (request.https() ? "; Secure" : ""));
    }

    private ApiResponse logout(ApiRequest request) {
        request.onlyQuery();
        Caller caller = request.caller();
        audit.record(request, "logout", null, null, null, null);
        boolean ended = sessions.end(caller.sessionId());
        return ApiResponse.json(Map.of("loggedOut", ended))
                .header("Set-Cookie", Authenticator.COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    }

    private ApiResponse me(ApiRequest request) {
        request.onlyQuery();
        Caller c = request.caller();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", c.username());
        body.put("roles", c.roles().stream().sorted().map(Role::word).toList());
        body.put("permissions", java.util.Arrays.stream(Permission.values()).filter(c::may)
                .map(p -> p.name().toLowerCase(java.util.Locale.ROOT)).toList());
        body.put("mustChangePassword", c.mustChangePassword());
        body.put("via", c.via());
        return ApiResponse.json(body);
    }

    private ApiResponse changePassword(ApiRequest request) {
        request.onlyQuery();
        request.json("currentPassword", "newPassword");
        String current = request.text("currentPassword");
        String next = request.text("newPassword");
        Caller c = request.caller();
        AdminUser u = users.find(c.username()).orElseThrow(() -> new ApiException(401, "not logged in"));
        if (!PasswordHash.matches(current, u.passwordHash())) {
            audit.record(c.username(), request.address(), AuditEvent.MINOR_FAILURE,
                    "password change refused: current password wrong", null, null, null, null);
            throw ApiException.badRequest("currentPassword is wrong");
        }
        String problem = passwordProblem(next, "newPassword");
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
        if (next.equals(current)) {
            throw ApiException.badRequest("newPassword must differ from the current one");
        }
        audit.record(request, "password changed", null, null, null, null);
        users.setPassword(c.username(), PasswordHash.of(next), false);
        return ApiResponse.json(Map.of("changed", true));
    }

    /** Why a new password is not acceptable, or null. */
    static String passwordProblem(String password, String field) {
        if (password.length() < MIN_PASSWORD) {
            return field + " must have at least " + MIN_PASSWORD + " characters";
        }
        if (password.length() > 200) {
            return field + " must have at most 200 characters";
        }
        return null;
    }
}
