package org.ilinks.admin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One endpoint of the admin API: method, path pattern ({@code /api/users/{name}}), the permission it needs (null:
 * no login), whether a user who must change their password may call it, and what it does.
 */
public record Endpoint(String method, String pattern, Permission permission, boolean beforePasswordChange,
                       Handler handler) {

    /** What an endpoint does with a request (the caller already checked). */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    public static Endpoint open(String method, String pattern, Handler handler) {
        return new Endpoint(method, pattern, null, true, handler);
    }

    public static Endpoint needs(Permission permission, String method, String pattern, Handler handler) {
        return new Endpoint(method, pattern, permission, false, handler);
    }

    /** The path parameters if the path matches the pattern. */
    Optional<Map<String, String>> match(String path) {
        List<String> want = List.of(pattern.split("/", -1));
        List<String> got = List.of(path.split("/", -1));
        if (want.size() != got.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < want.size(); i++) {
            String w = want.get(i);
            String g = got.get(i);
            if (w.startsWith("{") && w.endsWith("}")) {
                if (g.isEmpty()) {
                    return Optional.empty();
                }
                params.put(w.substring(1, w.length() - 1), java.net.URLDecoder.decode(g,
                        java.nio.charset.StandardCharsets.UTF_8));
            } else if (!w.equals(g)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
