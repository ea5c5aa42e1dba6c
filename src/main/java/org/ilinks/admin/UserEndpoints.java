package org.ilinks.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Users and their API tokens: for the admin role. */
final class UserEndpoints {

    static final int DEFAULT_TOKEN_DAYS = 90;
    static final int MAX_TOKEN_DAYS = 366;

    private final UserStore users;
    private final Sessions sessions;
    private final ApiAudit audit;
    private final Clock clock;
    private final UserAccounts accounts;

    UserEndpoints(UserStore users, Sessions sessions, ApiAudit audit, Clock clock) {
        this.users = users;
        this.accounts = new UserAccounts(users, clock);
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.needs(Permission.USERS, "GET", "/api/users", this::list),
                Endpoint.needs(Permission.USERS, "POST", "/api/users", this::create),
                Endpoint.needs(Permission.USERS, "PATCH", "/api/users/{name}", this::update),
                Endpoint.needs(Permission.USERS, "POST", "/api/users/{name}/tokens", this::issueToken),
                Endpoint.needs(Permission.USERS, "DELETE", "/api/tokens/{id}", this::revokeToken));
    }

    private ApiResponse list(ApiRequest request) {
        request.onlyQuery();
        List<Map<String, Object>> out = users.list().stream().map(u -> {
            Map<String, Object> m = view(u);
            m.put("tokens", users.tokensOf(u.username()).stream().map(UserEndpoints::view).toList());
            return m;
        }).toList();
        return ApiResponse.json(Map.of("users", out));
    }

    private ApiResponse create(ApiRequest request) {
        request.onlyQuery();
        request.json("username", "roles", "password");
        String name = request.text("username");
        if (!AdminUser.validName(name)) {
            throw ApiException.badRequest("username must be 1 to 64 letters, digits, '.', '_', '@' or '-'");
        }
        Set<Role> roles = roles(request.field("roles"), true);
        String password = request.optionalText("password");
        if (password != null && AccountEndpoints.passwordProblem(password, "password") != null) {
            throw ApiException.badRequest(AccountEndpoints.passwordProblem(password, "password"));
        }
        if (users.find(name).isPresent()) {
            throw new ApiException(409, "a user with that name exists already");
        }
        audit.record(request, "user created: " + name + " roles " + UserStore.roles(roles), null, null, null, null);
        Optional<String> oneTime;
        try {
            oneTime = accounts.create(name, roles, password);
        } catch (IllegalStateException e) {
            throw new ApiException(409, e.getMessage());
        }
        Map<String, Object> body = view(users.find(name).orElseThrow());
        oneTime.ifPresent(p -> body.put("oneTimePassword", p));
        return ApiResponse.json(201, body);
    }

    private ApiResponse update(ApiRequest request) {
        request.onlyQuery();
        request.json("roles", "disabled");
        String name = request.path("name");
        AdminUser user = AdminUser.validName(name) ? users.find(name).orElse(null) : null;
        if (user == null) {
            throw ApiException.notFound("no such user");
        }
        JsonNode rolesNode = request.field("roles");
        JsonNode disabledNode = request.field("disabled");
        if (rolesNode == null && disabledNode == null) {
            throw ApiException.badRequest("give roles, disabled or both");
        }
        Set<Role> roles = rolesNode == null ? user.roles() : roles(rolesNode, true);
        if (disabledNode != null && !disabledNode.isBoolean()) {
            throw ApiException.badRequest("field 'disabled' must be true or false");
        }
        boolean disabled = disabledNode == null ? user.disabled() : disabledNode.asBoolean();
        String refusal = accounts.refusal(name, roles, disabled);
        if (refusal != null) {
            throw new ApiException(409, refusal);
        }
        audit.record(request, "user changed: " + name + " roles " + UserStore.roles(roles)
                + (disabled ? " disabled" : " enabled"), null, null, null, null);
        try {
            accounts.update(name, roles, disabled);
        } catch (IllegalStateException e) {
            throw new ApiException(409, e.getMessage());
        }
        if (disabled) {
            sessions.endAllOf(name);
        }
        return ApiResponse.json(view(users.find(name).orElseThrow()));
    }

    private ApiResponse issueToken(ApiRequest request) {
        request.onlyQuery();
        request.json("label", "days");
        String name = request.path("name");
        AdminUser user = AdminUser.validName(name) ? users.find(name).orElse(null) : null;
        if (user == null) {
            throw ApiException.notFound("no such user");
        }
        String label = request.text("label");
        if (label.length() > 200) {
            throw ApiException.badRequest("label must have at most 200 characters");
        }
        JsonNode daysNode = request.field("days");
        int days = DEFAULT_TOKEN_DAYS;
        if (daysNode != null && !daysNode.isNull()) {
            if (!daysNode.canConvertToInt() || !daysNode.isIntegralNumber() || daysNode.asInt() < 1
                    || daysNode.asInt() > MAX_TOKEN_DAYS) {
                throw ApiException.badRequest("days must be a whole number from 1 to " + MAX_TOKEN_DAYS);
            }
            days = daysNode.asInt();
        }
        String token = Secrets.random256();
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofDays(days));
        audit.record(request, "token issued for user " + name + ", label " + label + ", " + days + " days", null,
                null, null, null);
        long id = users.addToken(name, Secrets.sha256(token), label, now, expires);
        Map<String, Object> body = view(users.token(id).orElseThrow());
        body.put("token", token);
        return ApiResponse.json(201, body);
    }

    private ApiResponse revokeToken(ApiRequest request) {
        request.onlyQuery();
        long id;
        try {
            id = Long.parseLong(request.path("id"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("the token id must be a number");
        }
        ApiToken token = users.token(id).filter(t -> t.revokedAt() == null)
                .orElseThrow(() -> ApiException.notFound("no such live token"));
        audit.record(request, "token revoked: " + id + " of user " + token.username(), null, null, null, null);
        users.revokeToken(id, clock.instant());
        return ApiResponse.json(view(users.token(id).orElseThrow()));
    }

    private static Set<Role> roles(JsonNode node, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.badRequest("field 'roles' is required: a list of analyst, support, ig, admin, body");
            }
            return Set.of();
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("field 'roles' must be a list of analyst, support, ig, admin, body");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (JsonNode r : node) {
            if (!r.isTextual() || Role.byWord(r.asText()).isEmpty()) {
                throw ApiException.badRequest("field 'roles' may hold only analyst, support, ig, admin, body");
            }
            roles.add(Role.byWord(r.asText()).get());
        }
        return roles;
    }

    static Map<String, Object> view(AdminUser u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", u.username());
        m.put("roles", u.roles().stream().sorted().map(Role::word).toList());
        m.put("disabled", u.disabled());
        m.put("mustChangePassword", u.mustChangePassword());
        m.put("createdAt", u.createdAt().toString());
        return m;
    }

    static Map<String, Object> view(ApiToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("username", t.username());
        m.put("label", t.label());
        m.put("createdAt", t.createdAt().toString());
        m.put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString());
        m.put("lastUsedAt", t.lastUsedAt() == null ? null : t.lastUsedAt().toString());
        m.put("revokedAt", t.revokedAt() == null ? null : t.revokedAt().toString());
        return m;
    }
}
