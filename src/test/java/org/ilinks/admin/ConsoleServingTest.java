package org.ilinks.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.ilinks.support.AdminClient;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's files as a browser gets them (over a real socket, without a browser): only the listed files, with
 * their content types and the security headers; and the API refusing a cross-site form post that carries the
 * session cookie, while the console's own requests and bearer clients go through.
 */
class ConsoleServingTest {

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theListOfServedFilesIsExactlyTheConsoleFolder() throws Exception {
        try (Stream<Path> files = Files.list(TestEngine.projectDir().resolve("src/main/resources/console"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(ConsoleEndpoints.FILES.stream().sorted().toList());
        }
    }

    @Test
    void theScriptsNeverMakeHtmlFromTextNorWriteToTheBrowsersConsole() throws Exception {
        for (String file : ConsoleEndpoints.FILES) {
            // The SVG namespace is a name, not an address anything is fetched from.
            String text = Files.readString(TestEngine.projectDir().resolve("src/main/resources/console").resolve(file))
                    .replace("'http://www.w3.org/2000/svg'", "");
            for (String banned : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                    "console.log", "console.info", "console.warn", "console.error", "localStorage", "sessionStorage",
                    "http://", "https://", " style=")) {
                assertThat(text).as(file + " uses " + banned).doesNotContain(banned);
            }
        }
    }

    @Test
    void filesComeWithTheirTypeAndSecurityHeadersAndNothingElseIsServed() throws Exception {
        try (TestEngine te = new TestEngine(tmp).folderService("ward", "ADT^A01")) {
            te.start();
            String base = te.adminUrl();

            HttpResponse<String> index = get(base + "/console/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(index.body()).contains("<script type=\"module\" src=\"app.js\"></script>");
            assertThat(index.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .startsWith("default-src 'self'").contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline");
            assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(index.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(index.headers().firstValue("Cache-Control")).hasValue("no-cache");

            for (String file : ConsoleEndpoints.FILES) {
                HttpResponse<String> r = get(base + "/console/" + file);
                assertThat(r.statusCode()).as(file).isEqualTo(200);
                assertThat(r.body()).as(file).isEqualTo(Files.readString(
                        TestEngine.projectDir().resolve("src/main/resources/console").resolve(file)));
            }
            assertThat(get(base + "/console/app.js").headers().firstValue("Content-Type"))
                    .hasValue("text/javascript; charset=utf-8");
            assertThat(get(base + "/console/console.css").headers().firstValue("Content-Type"))
                    .hasValue("text/css; charset=utf-8");

            for (String other : List.of("/console/missing.js", "/console/..%2Fapplication.properties",
                    "/console/%2e%2e%2fdb%2fmigration", "/console/js/app.js")) {
                assertThat(get(base + other).statusCode()).as(other).isEqualTo(404);
            }
            for (String redirecting : List.of("/", "/console")) {
                HttpResponse<String> r = get(base + redirecting);
                assertThat(r.statusCode()).as(redirecting).isEqualTo(302);
                assertThat(r.headers().firstValue("Location")).hasValue("/console/");
            }
            assertThat(get(base + "/health").headers().firstValue("Cache-Control"))
                    .as("API answers are still never cached").hasValue("no-store");
        }
    }

    @Test
    void aCrossSiteFormCannotUseTheSessionCookie() throws Exception {
        try (TestEngine te = new TestEngine(tmp).folderService("ward", "ADT^A01")) {
            te.start();
            String base = te.adminUrl();
            AdminClient client = new AdminClient(te);
            String cookie = Authenticator.COOKIE + "=" + client.login("admin", TestEngine.ADMIN_PASSWORD);

            // What a form on another site can send: a simple content type, the cookie, no custom header.
            HttpResponse<String> form = send(HttpRequest.newBuilder(URI.create(base + "/api/logout"))
                    .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("x=1")));
            assertThat(form.statusCode()).isEqualTo(403);
            assertThat(form.body()).contains("X-Requested-With: ilinks-console");
            HttpResponse<String> plain = send(HttpRequest.newBuilder(URI.create(base + "/api/users"))
                    .header("Cookie", cookie).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"forged\",\"roles\":[\"admin\"]}")));
            assertThat(plain.statusCode()).as("a text/plain body shaped as JSON").isEqualTo(403);
            HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\""
                            + TestEngine.ADMIN_PASSWORD + "\"}")));
            assertThat(login.statusCode()).as("a login posted by a form (login CSRF)").isEqualTo(403);

            HttpResponse<String> users = send(HttpRequest.newBuilder(URI.create(base + "/api/users"))
                    .header("Cookie", cookie).GET());
            assertThat(users.statusCode()).as("the refused posts changed nothing and the session still works")
                    .isEqualTo(200);
            assertThat(users.body()).doesNotContain("forged");

            // The console's way: the cookie and its header (no body), or a JSON body.
            HttpResponse<String> console = send(HttpRequest.newBuilder(URI.create(base + "/api/logout"))
                    .header("Cookie", cookie).header("X-Requested-With", "ilinks-console")
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(console.statusCode()).isEqualTo(200);
            String cookie2 = Authenticator.COOKIE + "=" + client.login("admin", TestEngine.ADMIN_PASSWORD);
            HttpResponse<String> json = send(HttpRequest.newBuilder(URI.create(base + "/api/logout"))
                    .header("Cookie", cookie2).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(json.statusCode()).isEqualTo(200);
            // A script or the CLI with a bearer credential is not a browser form.
            String bearer = client.login("admin", TestEngine.ADMIN_PASSWORD);
            HttpResponse<String> script = send(HttpRequest.newBuilder(URI.create(base + "/api/logout"))
                    .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(script.statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
