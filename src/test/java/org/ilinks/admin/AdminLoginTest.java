package org.ilinks.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.audit.AuditVerifier;
import org.ilinks.support.AdminClient;
import org.ilinks.support.LogCapture;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging in on a real engine over real HTTP: how the first admin comes about (no default password), failed logins
 * rate-limited and audited, logout, API tokens and their revocation, disabled users; and that no password, token or
 * session id reaches a log line.
 */
class AdminLoginTest {

    @TempDir
    Path tmp;

    @Test
    void theFirstAdminComesFromThePasswordFileAndMayWorkAtOnce() throws Exception {
        try (TestEngine te = new TestEngine(tmp).start()) {
            AdminClient client = new AdminClient(te);
            String session = client.login("admin", TestEngine.ADMIN_PASSWORD);
            JsonNode me = AdminClient.json(client.get("/api/me", session));
            assertThat(me.get("mustChangePassword").asBoolean()).isFalse();
            assertThat(me.get("roles").toString()).isEqualTo("[\"admin\"]");
            assertThat(client.get("/api/users", session).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theFirstAdminComesFromTheAdminPasswordSettingWhenThereIsNoFile() throws Exception {
        // ILINKS_ADMIN_PASSWORD is this setting's environment variable (Settings reads it like every other).
        try (TestEngine te = new TestEngine(tmp).set("ilinks.admin.initial-password-file", "")
                .set("ilinks.admin.password", "from-the-environment-1").start()) {
            AdminClient client = new AdminClient(te);
            client.login("admin", "from-the-environment-1");
            assertThat(client.post("/api/login", "{\"username\":\"admin\",\"password\":\""
                    + TestEngine.ADMIN_PASSWORD + "\"}", null).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void withNeitherAOneTimePasswordIsPrintedOnceAndMustBeChangedBeforeAnythingElse() throws Exception {
        TestEngine te = new TestEngine(tmp).set("ilinks.admin.initial-password-file", "");
        String printed = stderrOf(te::start);
        try (te) {
            Matcher m = Pattern.compile("one-time password: (\\S+)").matcher(printed);
            assertThat(m.find()).as("stderr at first start:%n%s", printed).isTrue();
            String oneTime = m.group(1);
            AdminClient client = new AdminClient(te);
            String session = client.login("admin", oneTime);

            assertThat(AdminClient.json(client.get("/api/me", session)).get("mustChangePassword").asBoolean()).isTrue();
            HttpResponse<String> refused = client.get("/api/users", session);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("change your password first");
            assertThat(client.get("/api/services", session).statusCode()).isEqualTo(403);

            assertThat(client.post("/api/me/password", "{\"currentPassword\":\"" + oneTime
                    + "\",\"newPassword\":\"short\"}", session).statusCode()).isEqualTo(400);
            assertThat(client.post("/api/me/password", "{\"currentPassword\":\"" + oneTime
                    + "\",\"newPassword\":\"my-own-password-1\"}", session).statusCode()).isEqualTo(200);
            assertThat(client.get("/api/users", session).statusCode()).isEqualTo(200);
            assertThat(client.post("/api/login", "{\"username\":\"admin\",\"password\":\"" + oneTime + "\"}", null)
                    .statusCode()).as("the one-time password is spent").isEqualTo(401);
            client.login("admin", "my-own-password-1");
        }
        TestEngine again = new TestEngine(tmp.resolve("again"));
        // Same data dir, users exist now: nothing is printed at the second start.
        again.set("ilinks.data.dir", tmp.resolve("data").toString()).set("ilinks.admin.initial-password-file", "");
        String second = stderrOf(again::start);
        try (again) {
            assertThat(second).doesNotContain("one-time password");
            new AdminClient(again).login("admin", "my-own-password-1");
        }
    }

    @Test
    void aPasswordFileWithATooShortPasswordStopsTheStart() throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("short"), "abc\n");
        TestEngine te = new TestEngine(tmp).set("ilinks.admin.initial-password-file", tmp.resolve("short").toString());
        try (te) {
            assertThatThrownBy(te::start).hasMessageContaining("at least 12 characters")
                    .hasMessageNotContaining("abc");
        }
    }

    @Test
    void failedLoginsAreAuditedAnsweredAlikeAndLimitedPerAddress() throws Exception {
        try (LogCapture logs = new LogCapture();
             TestEngine te = new TestEngine(tmp).start()) {
            AdminClient client = new AdminClient(te);
            HttpResponse<String> unknown = client.post("/api/login",
                    "{\"username\":\"nobody\",\"password\":\"guess-number-one\"}", null);
            HttpResponse<String> wrong = client.post("/api/login",
                    "{\"username\":\"admin\",\"password\":\"guess-number-two\"}", null);
            assertThat(unknown.statusCode()).isEqualTo(401);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(unknown.body()).as("no hint which user names exist").isEqualTo(wrong.body());
            for (int i = 3; i <= 5; i++) {
                assertThat(client.post("/api/login", "{\"username\":\"user" + i + "\",\"password\":\"guess-" + i
                        + "\"}", null).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> limited = client.post("/api/login", "{\"username\":\"admin\",\"password\":\""
                    + TestEngine.ADMIN_PASSWORD + "\"}", null);
            assertThat(limited.statusCode()).as("sixth try from this address, even with the right password")
                    .isEqualTo(429);
            long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 300L);

            List<AuditEvent> logins = personActions(te);
            assertThat(logins).filteredOn(e -> e.detail().equals("login failed")).hasSize(5)
                    .allSatisfy(e -> {
                        assertThat(e.outcome()).isEqualTo(AuditEvent.MINOR_FAILURE);
                        assertThat(e.actorAddress()).isEqualTo("127.0.0.1");
                        assertThat(e.source()).startsWith("ilinks-admin@");
                    })
                    .extracting(AuditEvent::actorId).containsExactly("nobody", "admin", "user3", "user4", "user5");
            assertThat(logins).filteredOn(e -> e.detail().startsWith("login refused")).singleElement()
                    .satisfies(e -> assertThat(e.actorId()).isEqualTo("admin"));
            assertThat(logs.text()).doesNotContain("guess-number", TestEngine.ADMIN_PASSWORD);
            assertThat(AuditVerifier.verify(te.engine().dataSource(), new AuditHeadFile(te.settings().auditHeadFile()))
                    .ok()).isTrue();
        }
    }

    @Test
    void logoutTokensAndDisablingEndAccessAndNoSecretReachesTheLog() throws Exception {
        List<String> secrets = new ArrayList<>();
        try (LogCapture logs = new LogCapture();
             TestEngine te = new TestEngine(tmp).start()) {
            AdminClient client = new AdminClient(te);
            String admin = client.login("admin", TestEngine.ADMIN_PASSWORD);
            secrets.add(admin);

            // A user created without a password gets a one-time one, shown once.
            JsonNode created = AdminClient.json(client.post("/api/users",
                    "{\"username\":\"ann\",\"roles\":[\"ig\",\"body\"]}", admin));
            String oneTime = created.get("oneTimePassword").asText();
            secrets.add(oneTime);
            assertThat(created.get("mustChangePassword").asBoolean()).isTrue();
            assertThat(AdminClient.json(client.get("/api/users", admin)).toString()).doesNotContain(oneTime);

            // A token works as a bearer, is stored only hashed, and stops working once revoked.
            JsonNode issued = AdminClient.json(client.post("/api/users/admin/tokens", "{\"label\":\"ci\",\"days\":7}",
                    admin));
            String token = issued.get("token").asText();
            secrets.add(token);
            assertThat(token).hasSize(43);
            assertThat(client.get("/api/users", token).statusCode()).isEqualTo(200);
            assertThat(AdminClient.json(client.get("/api/me", token)).get("via").asText()).isEqualTo("token");
            assertThat(new UserStore(te.engine().dataSource()).tokensOf("admin")).singleElement()
                    .satisfies(t -> assertThat(t.toString()).doesNotContain(token));
            assertThat(tokenHashes(te)).containsExactly(Secrets.sha256(token));
            assertThat(client.send("DELETE", "/api/tokens/" + issued.get("id").asLong(), null, admin).statusCode())
                    .isEqualTo(200);
            assertThat(client.get("/api/users", token).statusCode()).isEqualTo(401);
            assertThat(client.send("DELETE", "/api/tokens/" + issued.get("id").asLong(), null, admin).statusCode())
                    .as("already revoked").isEqualTo(404);

            // Logout ends the session, also for the cookie a browser would send.
            String other = client.login("admin", TestEngine.ADMIN_PASSWORD);
            secrets.add(other);
            HttpResponse<String> login = client.post("/api/login", "{\"username\":\"admin\",\"password\":\""
                    + TestEngine.ADMIN_PASSWORD + "\"}", null);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").startsWith("ilinks_session=");
            String cookiePair = cookie.substring(0, cookie.indexOf(';'));
            secrets.add(cookiePair.substring(cookiePair.indexOf('=') + 1));
            assertThat(client.send("GET", "/api/me", null, null, cookiePair).statusCode()).isEqualTo(200);
            // As the console sends it: a browser's cookie-authenticated post must carry its header (CSRF).
            assertThat(client.send("POST", "/api/logout", null, null, cookiePair,
                    java.util.Map.of("X-Requested-With", "ilinks-console")).statusCode()).isEqualTo(200);
            assertThat(client.send("GET", "/api/me", null, null, cookiePair).statusCode()).isEqualTo(401);
            assertThat(client.post("/api/logout", null, other).statusCode()).isEqualTo(200);
            assertThat(client.get("/api/me", other).statusCode()).isEqualTo(401);

            // Disabling a user ends their sessions and refuses their logins; the last admin cannot be disabled.
            String ann = client.login("ann", oneTime);
            secrets.add(ann);
            assertThat(client.send("PATCH", "/api/users/ann", "{\"disabled\":true}", admin).statusCode())
                    .isEqualTo(200);
            assertThat(client.get("/api/me", ann).statusCode()).isEqualTo(401);
            assertThat(client.post("/api/login", "{\"username\":\"ann\",\"password\":\"" + oneTime + "\"}", null)
                    .statusCode()).isEqualTo(401);
            assertThat(client.send("PATCH", "/api/users/admin", "{\"disabled\":true}", admin).statusCode())
                    .isEqualTo(409);

            List<String> actions = personActions(te).stream().map(AuditEvent::detail).toList();
            assertThat(actions).contains("user created: ann roles ig,body", "token issued for user admin, label ci, 7 days",
                    "token revoked: " + issued.get("id").asLong() + " of user admin", "logout",
                    "user changed: ann roles ig,body disabled");
            String log = logs.text();
            assertThat(secrets).allSatisfy(s -> assertThat(log).doesNotContain(s));
            assertThat(log).doesNotContain(TestEngine.ADMIN_PASSWORD);
        }
    }

    @Test
    void behindATrustedProxyTheForwardedAddressIsRecordedAndLimitedAndTheCookieIsSecure() throws Exception {
        try (TestEngine te = new TestEngine(tmp).set("ilinks.admin.trusted-proxies", "127.0.0.1").start()) {
            AdminClient client = new AdminClient(te);
            for (int i = 0; i < 5; i++) {
                client.send("POST", "/api/login", "{\"username\":\"admin\",\"password\":\"wrong-" + i + "\"}",
                        null, null, java.util.Map.of("X-Forwarded-For", "198.51.100.7, 10.1.2.3"));
            }
            assertThat(client.send("POST", "/api/login", "{\"username\":\"other\",\"password\":\"x\"}", null, null,
                    java.util.Map.of("X-Forwarded-For", "10.1.2.3")).statusCode())
                    .as("the forwarded address is limited").isEqualTo(429);
            // Another client behind the same proxy is not locked out by the first one's failures (admin's own
            // failures still count against the name, so log in as a second user).
            new UserStore(te.engine().dataSource()).create(new AdminUser("bea", PasswordHash.of("bea-password-12"),
                    java.util.Set.of(Role.IG), false, false, java.time.Instant.now()));
            HttpResponse<String> ok = client.send("POST", "/api/login",
                    "{\"username\":\"bea\",\"password\":\"bea-password-12\"}", null, null,
                    java.util.Map.of("X-Forwarded-For", "10.9.9.9", "X-Forwarded-Proto", "https"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Set-Cookie").orElseThrow()).endsWith("; Secure");
            assertThat(personActions(te)).filteredOn(e -> e.detail().equals("login failed"))
                    .extracting(AuditEvent::actorAddress).containsOnly("10.1.2.3");
            assertThat(personActions(te)).filteredOn(e -> e.detail().equals("login"))
                    .extracting(AuditEvent::actorAddress).containsExactly("10.9.9.9");
        }
    }

    @Test
    void withoutATrustedProxyForwardedHeadersAreIgnored() throws Exception {
        try (TestEngine te = new TestEngine(tmp).start()) {
            HttpResponse<String> r = new AdminClient(te).send("POST", "/api/login", "{\"username\":\"admin\","
                    + "\"password\":\"" + TestEngine.ADMIN_PASSWORD + "\"}", null, null,
                    java.util.Map.of("X-Forwarded-For", "10.1.2.3", "X-Forwarded-Proto", "https"));
            assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
            assertThat(personActions(te)).filteredOn(e -> e.detail().equals("login"))
                    .extracting(AuditEvent::actorAddress).containsExactly("127.0.0.1");
        }
    }

    private static List<String> tokenHashes(TestEngine te) throws Exception {
        List<String> hashes = new ArrayList<>();
        try (var c = te.engine().dataSource().getConnection();
             var rs = c.createStatement().executeQuery("SELECT token_hash FROM admin_token")) {
            while (rs.next()) {
                hashes.add(rs.getString(1));
            }
        }
        return hashes;
    }

    private static List<AuditEvent> personActions(TestEngine te) {
        List<AuditEvent> events = new ArrayList<>();
        new AuditStore(te.engine().dataSource(), new AuditHeadFile(te.settings().auditHeadFile())).forEach(
                new AuditStore.Filter(null, null, AuditEventType.PERSON_ACTION, null, null, null),
                s -> events.add(s.event()));
        return events;
    }

    private interface Start {
        Object run() throws Exception;
    }

    private static String stderrOf(Start start) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            start.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
