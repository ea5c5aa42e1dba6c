package org.ilinks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The CLI's one way to reach the engine: JSON over HTTP to the admin API, as an API token's holder or as a user who
 * logged in (then {@link #close} logs out). Failures become {@link ApiCallFailed} with words for a person and the
 * CLI's exit status: 2 for a request the API found malformed (a usage error), 1 for anything else.
 */
final class AdminApiClient implements AutoCloseable {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration ANSWER = Duration.ofSeconds(60);

    private final HttpClient http;
    private final String base;
    private final String bearer;
    private final boolean loggedIn;

    private AdminApiClient(HttpClient http, String base, String bearer, boolean loggedIn) {
        this.http = http;
        this.base = base;
        this.bearer = bearer;
        this.loggedIn = loggedIn;
    }

    /** A client that sends an API token with each call. */
    static AdminApiClient withToken(URI base, String token) {
        return new AdminApiClient(newHttp(), strip(base), token, false);
    }

    /** Logs in (POST /api/login) and returns a client using that session; the password array is cleared. */
    static AdminApiClient login(URI base, String user, char[] password) {
        HttpClient http = newHttp();
        String url = strip(base);
        ObjectNode body = JSON.createObjectNode().put("username", user).put("password", new String(password));
        java.util.Arrays.fill(password, '\0');
        AdminApiClient anonymous = new AdminApiClient(http, url, null, false);
        JsonNode answer = anonymous.json(anonymous.request("/api/login")
                .header("Content-Type", "application/json").POST(json(body)), true);
        return new AdminApiClient(http, url, answer.path("session").asText(), true);
    }

    String url() {
        return base;
    }

    JsonNode get(String pathAndQuery) {
        return json(request(pathAndQuery).GET(), false);
    }

    /** A text answer (a message's content). */
    String getText(String pathAndQuery) {
        return send(request(pathAndQuery).GET(), false).body();
    }

    JsonNode post(String path, JsonNode body) {
        HttpRequest.Builder request = request(path);
        if (body == null) {
            return json(request.POST(HttpRequest.BodyPublishers.noBody()), false);
        }
        return json(request.header("Content-Type", "application/json").POST(json(body)), false);
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A query string ("?a=1&b=x") of the parameters that have a value, encoded; "" when none has. */
    static String query(Map<String, String> parameters) {
        StringJoiner q = new StringJoiner("&", "?", "");
        q.setEmptyValue("");
        parameters.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                q.add(k + "=" + URLEncoder.encode(v.strip(), StandardCharsets.UTF_8));
            }
        });
        return q.toString();
    }

    /** One path segment (a message or job id), encoded. */
    static String segment(String value) {
        return URLEncoder.encode(value.strip(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Ends the session if this client logged in; a logout that fails changes nothing for the person. */
    @Override
    public void close() {
        if (!loggedIn) {
            return;
        }
        try {
            send(request("/api/logout").POST(HttpRequest.BodyPublishers.noBody()), false);
        } catch (ApiCallFailed e) {
            // The session ends by itself after ilinks.admin.session-idle-minutes.
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(ANSWER)
                .header("Accept", "application/json, text/plain");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b;
    }

    private JsonNode json(HttpRequest.Builder request, boolean login) {
        String body = send(request, login).body();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ApiCallFailed("the admin API at " + base + " answered something that is not JSON: is "
                    + "--url the engine's admin API?", EXIT_FAILED);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, boolean login) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new ApiCallFailed("cannot reach the admin API at " + base + ": is the engine running? "
                    + "(--url, or ilinks.admin.host and ilinks.admin.port in the config folder, say where it is)",
                    EXIT_FAILED);
        } catch (HttpTimeoutException e) {
            throw new ApiCallFailed("the admin API at " + base + " did not answer in time", EXIT_FAILED);
        } catch (IOException e) {
            throw new ApiCallFailed("cannot talk to the admin API at " + base + ": " + e.getClass().getSimpleName(),
                    EXIT_FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiCallFailed("interrupted", EXIT_FAILED);
        }
        if (response.statusCode() >= 400) {
            throw refused(response, login);
        }
        return response;
    }

    private ApiCallFailed refused(HttpResponse<String> response, boolean login) {
        int status = response.statusCode();
        String said = errorText(response);
        return switch (status) {
            case 400 -> new ApiCallFailed(said, EXIT_USAGE);
            case 401 -> new ApiCallFailed(login ? "log-in refused: " + said
                    : loggedIn ? "the session ended (401): run the command again"
                    : "the API token was not accepted (401): it is wrong, expired or revoked, or its user is "
                            + "disabled", EXIT_FAILED);
            case 403 -> new ApiCallFailed("not allowed (403): " + said, EXIT_FAILED);
            case 404 -> new ApiCallFailed("no such endpoint".equals(said)
                    ? "the admin API at " + base + " does not have this (404): is the engine older than this CLI?"
                    : said, EXIT_FAILED);
            case 409 -> new ApiCallFailed("refused (409): " + said, EXIT_FAILED);
            case 429 -> new ApiCallFailed(said + response.headers().firstValue("Retry-After")
                    .map(s -> " (in " + s + " s)").orElse(""), EXIT_FAILED);
            default -> new ApiCallFailed("the admin API answered " + status + ": " + said, EXIT_FAILED);
        };
    }

    /** The API's error sentence ({"status","error"}); it names fields and rules, never a value sent. */
    private static String errorText(HttpResponse<String> response) {
        try {
            JsonNode error = JSON.readTree(response.body()).path("error");
            if (error.isTextual()) {
                return error.asText();
            }
        } catch (IOException e) {
            // not the API's JSON: a proxy's page, say
        }
        return "no explanation given";
    }

    private static HttpRequest.BodyPublisher json(JsonNode body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static HttpClient newHttp() {
        // HTTP/1.1: no h2c upgrade offered to the engine or to a proxy in front of it.
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT).build();
    }

    private static String strip(URI base) {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
