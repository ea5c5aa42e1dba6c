package org.ilinks.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves the web console: the fixed list of files under {@code console/} on the classpath, read once at start. The
 * files are the same for everyone and hold no data (the pages fetch it from the API with the user's session), so
 * they need no login. Only the listed names are served, never a path made from the request.
 */
final class ConsoleEndpoints {

    /** Every file of the console; ConsoleServingTest checks this against src/main/resources/console/. */
    static final List<String> FILES = List.of("index.html", "console.css", "app.js", "api.js", "dom.js",
            "login.js", "dashboard.js", "sparkline.js", "messages.js", "message.js", "jobs.js", "consent.js", "extracts.js");

    /**
     * Scripts and styles from this server only, no inline script or style, no framing (clickjacking), forms post only
     * here.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private final Map<String, byte[]> files = new LinkedHashMap<>();

    ConsoleEndpoints() {
        for (String name : FILES) {
            try (InputStream in = ConsoleEndpoints.class.getResourceAsStream("/console/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the console file " + name + " is missing from the build");
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.open("GET", "/", r -> redirect()),
                Endpoint.open("GET", "/console", r -> redirect()),
                Endpoint.open("GET", "/console/", r -> file("index.html")),
                Endpoint.open("GET", "/console/{file}", r -> file(r.path("file"))));
    }

    private static ApiResponse redirect() {
        return ApiResponse.text(302, "text/plain; charset=utf-8", "").header("Location", "/console/");
    }

    private ApiResponse file(String name) {
        byte[] bytes = files.get(name);
        if (bytes == null) {
            throw ApiException.notFound("no such file");
        }
        // Revalidated on each load, so an upgraded engine's console is never mixed with a cached older script.
        return new ApiResponse(200, contentType(name), bytes, new LinkedHashMap<>())
                .header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer");
    }

    static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        throw new IllegalStateException("no content type for " + name);
    }
}
