package org.ilinks.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP calls to a test engine's admin API (java.net.http), with a bearer token or session id when given. */
public final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public AdminClient(String base) {
        this.base = base;
    }

    public AdminClient(TestEngine engine) {
        this(engine.adminUrl());
    }

    public HttpResponse<String> send(String method, String path, String body, String bearer) {
        return send(method, path, body, bearer, null);
    }

    public HttpResponse<String> send(String method, String path, String body, String bearer, String cookie) {
        return send(method, path, body, bearer, cookie, java.util.Map.of());
    }

    public HttpResponse<String> send(String method, String path, String body, String bearer, String cookie,
                                     java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        headers.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path, String bearer) {
        return send("GET", path, null, bearer);
    }

    public HttpResponse<String> post(String path, String body, String bearer) {
        return send("POST", path, body, bearer);
    }

    /** Logs in and returns the session id; fails the test if the login is refused. */
    public String login(String username, String password) {
        HttpResponse<String> r = post("/api/login", "{\"username\":" + quote(username) + ",\"password\":"
                + quote(password) + "}", null);
        if (r.statusCode() != 200) {
            throw new AssertionError("login as " + username + " answered " + r.statusCode() + ": " + r.body());
        }
        return json(r).get("session").asText();
    }

    public static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    public static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
