package org.ilinks.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ilinks.support.AdminClient;
import org.ilinks.support.LogCapture;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the admin API does not understand gets a clear 4xx in JSON, which never repeats the patient data sent (an
 * NHS number or name in a bad request shows up neither in the answer nor in the log).
 */
class AdminBadRequestTest {

    private static final String NHS = "9434765919";
    private static final String NAME = "SMITHERSON";

    @TempDir
    Path tmp;

    /** method, path, body, expected status, a phrase the error must contain. */
    private record Case(String method, String path, String body, int status, String says) {
    }

    @Test
    void everyBadRequestGetsAClearFourHundredThatRepeatsNoPatientData() throws Exception {
        try (LogCapture logs = new LogCapture(); TestEngine te = new TestEngine(tmp).start()) {
            AdminClient client = new AdminClient(te);
            String admin = client.login("admin", TestEngine.ADMIN_PASSWORD);
            client.post("/api/users", "{\"username\":\"iggy\",\"roles\":[\"ig\"],\"password\":\"ig-password-123\"}",
                    admin);
            new UserStore(te.engine().dataSource()).setPassword("iggy", PasswordHash.of("ig-password-123"), false);
            String ig = client.login("iggy", "ig-password-123");

            List<Case> cases = List.of(
                    new Case("GET", "/api/nothing/" + NHS, null, 404, "no such endpoint"),
                    new Case("GET", "/index.html", null, 404, "no such endpoint"), // "/" opens the console
                    new Case("PUT", "/api/consent", "{}", 405, "allowed: POST"),
                    new Case("DELETE", "/api/consent/" + NHS, null, 405, "allowed: GET"),
                    new Case("POST", "/api/consent", "{\"nhsNumber\":\"" + NHS + "\", \"reason\": \"" + NAME, 400,
                            "not valid JSON"),
                    new Case("POST", "/api/consent", "[\"" + NHS + "\"]", 400, "must be a JSON object"),
                    new Case("POST", "/api/consent", null, 400, "JSON object body is required"),
                    new Case("POST", "/api/consent", "{\"nhsNumber\":\"" + NHS + "\",\"surname\":\"" + NAME + "\"}",
                            400, "unknown field 'surname'"),
                    new Case("POST", "/api/consent", "{\"nhsNumber\":\"" + NHS + "\",\"scope\":\"all\","
                            + "\"decision\":\"dissent\",\"from\":\"2026-01-01\",\"source\":\"patient\"}", 400,
                            "purpose is required"),
                    new Case("POST", "/api/consent", "{\"nhsNumber\":\"9434765918\",\"purpose\":\"x\"}", 400,
                            "nhsNumber is not a valid NHS number"),
                    new Case("POST", "/api/consent", "{\"nhsNumber\":\"" + NHS + "\",\"scope\":\"all\","
                            + "\"decision\":\"" + NAME + "\",\"from\":\"2026-01-01\",\"source\":\"patient\","
                            + "\"purpose\":\"x\"}", 400, "decision"),
                    new Case("POST", "/api/consent", "{\"nhsNumber\":" + 9434765919L + ",\"purpose\":\"x\"}", 400,
                            "field 'nhsNumber' must be a string"),
                    new Case("GET", "/api/consent/" + NHS, null, 400, "purpose is required"),
                    new Case("GET", "/api/consent/943476591", null, 400, "not a valid one"),
                    new Case("GET", "/api/audit/patient/" + NHS + "?purpose=x&from=yesterday", null, 400,
                            "from must be a day"),
                    new Case("GET", "/api/audit/patient/" + NHS + "?purpose=x&from=2026-02-01&to=2026-01-01", null,
                            400, "to is before from"),
                    new Case("GET", "/api/audit/patient/" + NHS + "?purpose=x&nhs=" + NHS, null, 400,
                            "unknown query parameter 'nhs'"),
                    new Case("GET", "/api/audit/patient/" + NHS + "?purpose=x&purpose=y", null, 400, "given twice"),
                    new Case("GET", "/api/audit/patient/" + NHS, null, 400, "purpose is required"),
                    new Case("GET", "/api/audit/trail/" + NHS + "-" + NAME + "?purpose=x", null, 400,
                            "messageId must be"),
                    new Case("GET", "/api/audit/export?format=xml&purpose=x", null, 400, "format must be fhir or csv"),
                    new Case("GET", "/api/audit/export?format=csv&type=" + NAME + "&purpose=x", null, 400,
                            "type must be an audit event type"),
                    new Case("GET", "/api/audit/export?format=csv", null, 400, "purpose is required"),
                    new Case("POST", "/api/consent/abc/end", "{\"purpose\":\"x\"}", 400, "must be a number"),
                    new Case("POST", "/api/consent/999999/end", "{\"purpose\":\"x\"}", 404, "no open directive"));
            List<String> wrong = new ArrayList<>();
            for (Case c : cases) {
                HttpResponse<String> r = client.send(c.method(), c.path(), c.body(), ig);
                String error = r.statusCode() >= 400 ? AdminClient.json(r).path("error").asText() : "";
                if (r.statusCode() != c.status() || !error.contains(c.says()) || r.body().contains(NHS)
                        || r.body().contains(NAME) || !r.headers().firstValue("Content-Type").orElse("")
                        .startsWith("application/json")) {
                    wrong.add(c.method() + " " + c.path() + " -> " + r.statusCode() + " " + r.body());
                }
            }
            assertThat(wrong).isEmpty();

            List<Case> adminCases = List.of(
                    new Case("POST", "/api/login", "{\"username\":\"admin\"}", 400, "field 'password' is required"),
                    new Case("POST", "/api/users", "{\"username\":\"bad name\",\"roles\":[\"ig\"]}", 400,
                            "username must be"),
                    new Case("POST", "/api/users", "{\"username\":\"x\",\"roles\":[\"superuser\"]}", 400,
                            "may hold only analyst, support, ig, admin, body"),
                    new Case("POST", "/api/users", "{\"username\":\"x\",\"roles\":\"ig\"}", 400, "must be a list"),
                    new Case("POST", "/api/users", "{\"username\":\"iggy\",\"roles\":[\"ig\"]}", 409, "exists already"),
                    new Case("PATCH", "/api/users/nobody", "{\"disabled\":true}", 404, "no such user"),
                    new Case("PATCH", "/api/users/iggy", "{\"disabled\":\"yes\"}", 400, "must be true or false"),
                    new Case("PATCH", "/api/users/iggy", "{}", 400, "give roles, disabled or both"),
                    new Case("POST", "/api/users/iggy/tokens", "{\"label\":\"x\",\"days\":1000}", 400,
                            "days must be a whole number"),
                    new Case("DELETE", "/api/tokens/zz", null, 400, "must be a number"),
                    new Case("GET", "/api/users?all=1", null, 400, "unknown query parameter 'all'"));
            for (Case c : adminCases) {
                HttpResponse<String> r = client.send(c.method(), c.path(), c.body(), admin);
                String error = r.statusCode() >= 400 ? AdminClient.json(r).path("error").asText() : "";
                if (r.statusCode() != c.status() || !error.contains(c.says())) {
                    wrong.add(c.method() + " " + c.path() + " -> " + r.statusCode() + " " + r.body());
                }
            }
            assertThat(wrong).isEmpty();
            assertThat(logs.text()).doesNotContain(NHS).doesNotContain(NAME);
        }
    }
}
