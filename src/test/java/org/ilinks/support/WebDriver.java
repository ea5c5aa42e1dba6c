package org.ilinks.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real headless Chromium driven through Debian's chromedriver over the W3C WebDriver HTTP protocol (java.net.http,
 * no Selenium): enough to open pages, find elements by CSS selector, click, type, read text and wait for the page.
 * Starts its own chromedriver on a free loopback port and stops it on close.
 */
public final class WebDriver implements AutoCloseable {

    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** W3C's key for an element reference in a JSON answer. */
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process chromedriver;
    private final String base;
    private final String session;

    /** Whether Debian's chromium and chromium-driver are installed (.ci/run installs them). */
    public static boolean available() {
        return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    }

    public WebDriver(Path logDir) throws IOException {
        int port = TestEngine.freePort();
        Files.createDirectories(logDir);
        chromedriver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(logDir.resolve("chromedriver.log").toFile()).start();
        base = "http://127.0.0.1:" + port;
        try {
            waitUntil("chromedriver to be ready", () -> {
                try {
                    return call("GET", "/status", null).path("value").path("ready").asBoolean(false);
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
            ObjectNode options = JSON.createObjectNode();
            options.put("binary", CHROMIUM.toString());
            options.putPOJO("args", List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1400,1000", "--no-first-run", "--disable-extensions",
                    "--user-data-dir=" + logDir.resolve("profile")));
            ObjectNode always = JSON.createObjectNode();
            always.put("browserName", "chrome");
            always.set("goog:chromeOptions", options);
            always.putPOJO("goog:loggingPrefs", Map.of("browser", "ALL"));
            ObjectNode capabilities = JSON.createObjectNode();
            capabilities.putObject("capabilities").set("alwaysMatch", always);
            session = call("POST", "/session", capabilities).path("value").path("sessionId").asText();
        } catch (RuntimeException e) {
            chromedriver.destroy();
            throw e;
        }
    }

    /** Opens a URL and waits for the page's load. */
    public void open(String url) {
        command("POST", "/url", Map.of("url", url));
    }

    public String url() {
        return command("GET", "/url", null).asText();
    }

    /** The element the selector finds first, waiting for it to appear. */
    public String find(String css) {
        String[] found = new String[1];
        waitUntil("an element " + css, () -> {
            JsonNode v = command("POST", "/elements", Map.of("using", "css selector", "value", css));
            if (v.isArray() && !v.isEmpty()) {
                found[0] = v.get(0).get(ELEMENT).asText();
                return true;
            }
            return false;
        });
        return found[0];
    }

    /** How many elements the selector finds now (no waiting). */
    public int count(String css) {
        return command("POST", "/elements", Map.of("using", "css selector", "value", css)).size();
    }

    public void click(String css) {
        onFreshElement(css, element -> command("POST", "/element/" + element + "/click", Map.of()));
    }

    /** Clears the field and types the text into it. */
    public void type(String css, String text) {
        onFreshElement(css, element -> {
            command("POST", "/element/" + element + "/clear", Map.of());
            command("POST", "/element/" + element + "/value", Map.of("text", text));
        });
    }

    /**
     * Acts on the element the selector finds, finding it again if the page redrew it in between (a page may draw
     * twice as its data arrives: the element first found is then "stale").
     */
    private void onFreshElement(String css, java.util.function.Consumer<String> action) {
        for (int attempt = 1; ; attempt++) {
            try {
                action.accept(find(css));
                return;
            } catch (IllegalStateException e) {
                if (attempt >= 5 || e.getMessage() == null || !e.getMessage().contains("stale element")) {
                    throw e;
                }
            }
        }
    }

    /** The visible text of the first element the selector finds (waiting for it). */
    public String text(String css) {
        return command("GET", "/element/" + find(css) + "/text", null).asText();
    }

    /** Waits until the first element the selector finds has text that satisfies the test; returns that text. */
    public String waitForText(String css, Predicate<String> test, String what) {
        String[] last = new String[1];
        waitUntil(what + " (" + css + ")", () -> {
            JsonNode v = command("POST", "/elements", Map.of("using", "css selector", "value", css));
            if (!v.isArray() || v.isEmpty()) {
                return false;
            }
            try {
                last[0] = command("GET", "/element/" + v.get(0).get(ELEMENT).asText() + "/text", null).asText();
            } catch (RuntimeException stale) {
                return false; // the page redrew it between the two calls
            }
            return test.test(last[0]);
        });
        return last[0];
    }

    /** Runs a script in the page; its return value as JSON. */
    public JsonNode script(String script, Object... args) {
        return command("POST", "/execute/sync", Map.of("script", script, "args", List.of(args)));
    }

    /** The browser's console messages since the last call (Chromium's log; empty where the driver has none). */
    public List<String> consoleLog() {
        try {
            JsonNode v = command("POST", "/se/log", Map.of("type", "browser"));
            return v.isArray() ? java.util.stream.StreamSupport.stream(v.spliterator(), false)
                    .map(e -> e.path("message").asText()).toList() : List.of();
        } catch (RuntimeException unsupported) {
            return List.of();
        }
    }

    /** Saves a PNG of the page (for a failing test's report). */
    public void screenshot(Path png) {
        try {
            Files.write(png, Base64.getDecoder().decode(command("GET", "/screenshot", null).asText()));
        } catch (IOException | RuntimeException e) {
            // A screenshot only helps to explain a failure; its own failure must not hide that one.
        }
    }

    /** Waits, polling, until the condition holds; fails with what was awaited after 30 s. */
    public static void waitUntil(String what, java.util.function.BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("gave up waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    private JsonNode command(String method, String path, Object body) {
        return call(method, "/session/" + session + path, body).path("value");
    }

    private JsonNode call(String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json; charset=utf-8")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("WebDriver " + method + " " + path + " answered " + r.statusCode()
                        + ": " + answer.path("value").path("error").asText() + ": "
                        + answer.path("value").path("message").asText());
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            call("DELETE", "/session/" + session, null);
        } catch (RuntimeException e) {
            // The browser may be gone already; chromedriver is stopped below either way.
        } finally {
            chromedriver.destroy();
            try {
                chromedriver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (chromedriver.isAlive()) {
                chromedriver.destroyForcibly();
            }
        }
    }
}
