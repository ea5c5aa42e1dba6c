package org.ilinks.admin;

import io.vertx.core.http.HttpServerRequest;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every request to the admin HTTP server: finds the endpoint (404 for an unknown path, 405 for a method the
 * path does not take), finds the caller (401 without a login, 403 when no role of theirs grants the endpoint's
 * permission, 403 for anything but changing the password while a new one is due), runs it and writes its answer as
 * JSON. Request details are read from the Vert.x request itself, not from Camel headers, where a query parameter
 * could pose as a header.
 *
 * <p>Nothing a client sent reaches a log line: the log says method, endpoint pattern and status only.
 */
public final class AdminApi implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    /** The header value the console sends with every request that changes something (see refuseCrossSiteForm). */
    static final String CONSOLE_MARK = "ilinks-console";

    private final List<Endpoint> endpoints;
    private final Authenticator authenticator;
    private final ClientAddress clientAddress;

    AdminApi(List<Endpoint> endpoints, Authenticator authenticator, ClientAddress clientAddress) {
        this.endpoints = List.copyOf(endpoints);
        this.authenticator = authenticator;
        this.clientAddress = clientAddress;
    }

    /** Every endpoint, in the order they are matched (for the documentation and the role matrix test). */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        HttpServerRequest http = message instanceof HttpMessage m ? m.getRequest() : null;
        ApiResponse response;
        String pattern = "-";
        if (http == null) {
            response = error(new ApiException(500, "not an HTTP request"));
        } else {
            String method = http.method().name();
            String path = http.path();
            List<Endpoint> onPath = new ArrayList<>();
            Endpoint endpoint = null;
            Map<String, String> params = null;
            for (Endpoint e : endpoints) {
                Optional<Map<String, String>> p;
                try {
                    p = e.match(path);
                } catch (IllegalArgumentException bad) {
                    p = Optional.empty(); // a malformed %-escape matches nothing
                }
                if (p.isPresent()) {
                    onPath.add(e);
                    if (e.method().equals(method) && endpoint == null) {
                        endpoint = e;
                        params = p.get();
                    }
                }
            }
            if (endpoint == null) {
                response = onPath.isEmpty() ? error(ApiException.notFound("no such endpoint"))
                        : methodNotAllowed(onPath);
            } else {
                pattern = endpoint.pattern();
                response = run(endpoint, params, http, message);
            }
        }
        write(exchange, response);
        if (response.status() >= 500) {
            LOG.warn("Admin API {} {} answered {}", http == null ? "-" : http.method().name(), pattern,
                    response.status());
        } else {
            LOG.debug("Admin API {} {} answered {}", http == null ? "-" : http.method().name(), pattern,
                    response.status());
        }
    }

    private ApiResponse run(Endpoint endpoint, Map<String, String> params, HttpServerRequest http, Message message) {
        try {
            String remote = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
            ApiRequest request = new ApiRequest(params, query(http.query()), body(message),
                    clientAddress.of(remote, http.getHeader("X-Forwarded-For")),
                    clientAddress.https(remote, http.getHeader("X-Forwarded-Proto")));
            if (endpoint.permission() == null) {
                refuseCrossSiteForm(http);
            } else {
                Caller caller = authenticator.caller(http.getHeader("Authorization"), http.getHeader("Cookie"))
                        .orElseThrow(() -> new ApiException(401, "log in first (POST /api/login) or send an API token",
                                Map.of("WWW-Authenticate", "Bearer")));
                refuseCrossSiteForm(http);
                if (caller.mustChangePassword() && !endpoint.beforePasswordChange()) {
                    throw new ApiException(403, "change your password first (POST /api/me/password)");
                }
                if (!caller.may(endpoint.permission())) {
                    throw new ApiException(403, "none of your roles allows this");
                }
                request.caller(caller);
            }
            return endpoint.handler().handle(request);
        } catch (ApiException e) {
            return error(e);
        } catch (UserStore.StoreException | org.ilinks.audit.AuditStoreException
                 | org.ilinks.governance.consent.ConsentStoreException e) {
            LOG.warn("Admin API {} {}: database failed: {}", endpoint.method(), endpoint.pattern(),
                    e.getClass().getSimpleName());
            return error(new ApiException(503, "the database is not available; nothing done"));
        } catch (Exception e) {
            // The exception's message might hold anything: only its class is logged.
            LOG.error("Admin API {} {} failed: {}", endpoint.method(), endpoint.pattern(),
                    e.getClass().getName());
            return error(new ApiException(500, "internal error"));
        }
    }

    /**
     * A browser sends the session cookie with any request to this server, even a form posted from another site. Such a
     * form can send neither a JSON content type nor a custom header (a script on another site could, but only after a
     * CORS preflight this server never grants), so a request that changes something and carries no Authorization
     * header must have one of them. Clients with a bearer token or session id are not browsers and are not affected.
     */
    static void refuseCrossSiteForm(HttpServerRequest http) {
        String method = http.method().name();
        if (method.equals("GET") || method.equals("HEAD") || http.getHeader("Authorization") != null) {
            return;
        }
        String type = http.getHeader("Content-Type");
        boolean json = type != null && type.strip().toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
        if (!json && !CONSOLE_MARK.equals(http.getHeader("X-Requested-With"))) {
            throw new ApiException(403, "refused: a request from a browser must be sent as application/json or with "
                    + "X-Requested-With: " + CONSOLE_MARK);
        }
    }

    private static ApiResponse methodNotAllowed(List<Endpoint> onPath) {
        TreeSet<String> allowed = new TreeSet<>();
        onPath.forEach(e -> allowed.add(e.method()));
        return error(new ApiException(405, "method not allowed here; allowed: " + String.join(", ", allowed),
                Map.of("Allow", String.join(", ", allowed))));
    }

    private static ApiResponse error(ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", e.status());
        body.put("error", e.getMessage());
        ApiResponse response = ApiResponse.json(e.status(), body);
        e.headers().forEach(response::header);
        return response;
    }

    private static String body(Message message) {
        Object body = message.getBody();
        if (body == null) {
            return null;
        }
        return message.getBody(String.class);
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k;
            String v;
            try {
                k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("the query string is not properly encoded");
            }
            if (out.put(k, v) != null) {
                throw ApiException.badRequest("query parameter '" + ApiRequest.safeName(k) + "' is given twice");
            }
        }
        return out;
    }

    private static void write(Exchange exchange, ApiResponse response) {
        Message out = exchange.getMessage();
        // The request's headers (Authorization, Cookie) must not be echoed: the answer carries only these.
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        out.setHeader(Exchange.CONTENT_TYPE, response.contentType());
        if (out instanceof HttpMessage m && m.getResponse() != null) {
            // Camel's HTTP header filter drops Cache-Control from the message headers: set on the response itself.
            m.getResponse().putHeader("Cache-Control", response.headers().getOrDefault("Cache-Control", "no-store"));
        }
        out.setHeader("X-Content-Type-Options", "nosniff");
        response.headers().forEach((name, value) -> {
            if (!name.equals("Cache-Control")) {
                out.setHeader(name, value);
            }
        });
        Object body = response.body();
        if (body instanceof InputStream || body instanceof String || body instanceof byte[]) {
            out.setBody(body);
        } else {
            try {
                out.setBody(ApiRequest.mapper().writeValueAsBytes(body));
            } catch (Exception e) {
                out.setHeader(Exchange.HTTP_RESPONSE_CODE, 500);
                out.setBody("{\"status\":500,\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
