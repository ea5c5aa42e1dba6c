package org.ilinks.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.ilinks.governance.consent.ConsentChoice;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.governance.consent.ConsentScope;
import org.ilinks.governance.consent.DirectiveSource;
import org.ilinks.support.AdminClient;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every admin API endpoint tried by every kind of caller: no login, a session of each role, and an API token. Only
 * the callers the table allows get a 2xx (the console's two redirects a 302); the others get 401 (no login) or 403.
 * The table is written out here, not derived from {@link Role}, and must name every endpoint the engine serves: a
 * new endpoint fails this test until it is added with the callers it should allow.
 */
class AdminAccessMatrixTest {

    private static final String NHS = "9434765919";
    private static final String PASSWORD = "matrix-password-1";

    /** Who calls: nobody, a session for a user holding just one role, or an API token of a user with role ig. */
    enum Who { NOBODY, ANALYST, SUPPORT, IG, ADMIN, BODY, IG_TOKEN }

    private static final Set<Who> EVERYONE = EnumSet.allOf(Who.class);
    private static final Set<Who> SIGNED_IN = EnumSet.complementOf(EnumSet.of(Who.NOBODY));
    private static final Set<Who> IG = EnumSet.of(Who.IG, Who.IG_TOKEN);
    private static final Set<Who> ADMIN = EnumSet.of(Who.ADMIN);
    private static final Set<Who> METADATA = EnumSet.of(Who.ANALYST, Who.SUPPORT);
    private static final Set<Who> REPLAY = EnumSet.of(Who.SUPPORT);

    /** One endpoint: how to call it (a fresh path and body per call where a call uses something up) and who may. */
    record Row(String method, String pattern, Supplier<String> path, Supplier<String> body, Set<Who> allowed) {
    }

    @TempDir
    Path tmp;

    private TestEngine te;
    private final AtomicInteger counter = new AtomicInteger();
    private final Map<Who, String> credentials = new LinkedHashMap<>();
    /** A message the engine received, for the message endpoints. */
    private String messageId;

    private List<Row> table() {
        return List.of(
                row("POST", "/api/login", () -> "/api/login",
                        () -> "{\"username\":\"analyst1\",\"password\":\"" + PASSWORD + "\"}", EVERYONE),
                row("POST", "/api/logout", () -> "/api/logout", () -> null, SIGNED_IN),
                row("GET", "/api/me", () -> "/api/me", () -> null, SIGNED_IN),
                row("GET", "/api/users", () -> "/api/users", () -> null, ADMIN),
                row("POST", "/api/users", () -> "/api/users",
                        () -> "{\"username\":\"new" + counter.incrementAndGet() + "\",\"roles\":[\"analyst\"]}", ADMIN),
                row("PATCH", "/api/users/{name}", () -> "/api/users/spare", () -> "{\"roles\":[\"support\"]}", ADMIN),
                row("POST", "/api/users/{name}/tokens", () -> "/api/users/spare/tokens",
                        () -> "{\"label\":\"matrix\"}", ADMIN),
                row("DELETE", "/api/tokens/{id}", () -> "/api/tokens/" + freshToken(), () -> null, ADMIN),
                row("GET", "/api/audit/verify", () -> "/api/audit/verify", () -> null, IG),
                row("GET", "/api/audit/trail/{messageId}", () -> "/api/audit/trail/01JMATRIX0000000000000000?purpose=t",
                        () -> null, IG),
                row("GET", "/api/audit/patient/{nhsNumber}", () -> "/api/audit/patient/" + NHS + "?purpose=t",
                        () -> null, IG),
                row("GET", "/api/audit/export", () -> "/api/audit/export?format=csv&purpose=t", () -> null, IG),
                row("GET", "/api/consent/{nhsNumber}", () -> "/api/consent/" + NHS + "?purpose=t", () -> null, IG),
                row("POST", "/api/consent", () -> "/api/consent", () -> "{\"nhsNumber\":\"" + NHS + "\",\"scope\":"
                        + "\"service\",\"scopeValue\":\"ward\",\"decision\":\"dissent\",\"from\":\"2026-01-01\","
                        + "\"source\":\"patient\",\"purpose\":\"matrix\"}", IG),
                row("POST", "/api/consent/{id}/end", () -> "/api/consent/" + freshDirective() + "/end",
                        () -> "{\"purpose\":\"matrix\"}", IG),
                row("GET", "/api/services", () -> "/api/services", () -> null, SIGNED_IN),
                row("GET", "/api/extracts", () -> "/api/extracts", () -> null, METADATA),
                row("GET", "/api/messages", () -> "/api/messages", () -> null, METADATA),
                row("GET", "/api/messages/{messageId}", () -> "/api/messages/" + messageId, () -> null, METADATA),
                row("GET", "/api/messages/{messageId}/content",
                        () -> "/api/messages/" + messageId + "/content?purpose=t", () -> null, EnumSet.of(Who.BODY)),
                row("GET", "/api/messages/{messageId}/trail", () -> "/api/messages/" + messageId + "/trail",
                        () -> null, METADATA),
                row("GET", "/api/dashboard", () -> "/api/dashboard", () -> null, SIGNED_IN),
                // The console's files hold no data: everyone gets them (the two redirects answer 302).
                row("GET", "/", () -> "/", () -> null, EVERYONE),
                row("GET", "/console", () -> "/console", () -> null, EVERYONE),
                row("GET", "/console/", () -> "/console/", () -> null, EVERYONE),
                row("GET", "/console/{file}", () -> "/console/app.js", () -> null, EVERYONE),
                row("POST", "/api/replay", () -> "/api/replay", () -> "{\"ids\":[\"" + messageId
                        + "\"],\"reason\":\"matrix\",\"force\":true}", REPLAY),
                row("GET", "/api/replay", () -> "/api/replay", () -> null, REPLAY),
                row("GET", "/api/replay/{jobId}", () -> "/api/replay/" + freshJob(), () -> null, REPLAY),
                row("POST", "/api/replay/{jobId}/stop", () -> "/api/replay/" + freshJob() + "/stop", () -> null,
                        REPLAY),
                row("POST", "/api/replay/{jobId}/resume", () -> "/api/replay/" + freshJob() + "/resume",
                        () -> null, REPLAY),
                // Needs replay and body together, which no single role grants: everyone here is refused.
                row("POST", "/api/messages/{messageId}/edit-and-replay",
                        () -> "/api/messages/" + messageId + "/edit-and-replay", () -> "{\"service\":\"ward\","
                                + "\"reason\":\"matrix\",\"purpose\":\"t\",\"content\":\"MSH|x\"}",
                        EnumSet.noneOf(Who.class)),
                row("GET", "/api/messages/{messageId}/edits",
                        () -> "/api/messages/" + messageId + "/edits?purpose=t", () -> null, EnumSet.of(Who.BODY)),
                row("GET", "/health", () -> "/health", () -> null, EVERYONE),
                row("GET", "/metrics", () -> "/metrics", () -> null, EVERYONE),
                // Last: it changes each caller's password.
                row("POST", "/api/me/password", () -> "/api/me/password",
                        () -> "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"" + PASSWORD + "-new\"}",
                        SIGNED_IN));
    }

    private static Row row(String method, String pattern, Supplier<String> path, Supplier<String> body,
                           Set<Who> allowed) {
        return new Row(method, pattern, path, body, allowed);
    }

    @Test
    void onlyTheAllowedCallersSucceedAtEveryEndpoint() throws Exception {
        te = new TestEngine(tmp).folderService("ward", "ADT^A01");
        try (TestEngine started = te) {
            started.start();
            try (org.ilinks.support.IntakeSender sender = new org.ilinks.support.IntakeSender(te.port(), 10_000)) {
                assertThat(sender.send(org.ilinks.support.SequencedMessages.message("MATRIX", 1, 1))).isEqualTo("AA");
            }
            org.ilinks.history.MessageHistory history = new org.ilinks.history.MessageHistory(
                    te.engine().dataSource(), org.ilinks.history.ContentCipher.none());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    !history.list(new org.ilinks.history.HistoryFilter(null, null, null, null, null, null, null,
                            false), 0, 10).messages().isEmpty());
            messageId = history.list(new org.ilinks.history.HistoryFilter(null, null, null, null, null, null, null,
                    false), 0, 10).messages().get(0).messageId();
            assertThat(table().stream().map(r -> r.method() + " " + r.pattern()).collect(Collectors.toSet()))
                    .as("the table names every endpoint the engine serves, and no other")
                    .isEqualTo(te.engine().adminServer().api().endpoints().stream()
                            .map(e -> e.method() + " " + e.pattern()).collect(Collectors.toSet()));

            UserStore users = new UserStore(te.engine().dataSource());
            Map<Who, Role> roleOf = Map.of(Who.ANALYST, Role.ANALYST, Who.SUPPORT, Role.SUPPORT, Who.IG, Role.IG,
                    Who.ADMIN, Role.ADMIN, Who.BODY, Role.BODY, Who.IG_TOKEN, Role.IG);
            AdminClient client = new AdminClient(te);
            for (Who who : Who.values()) {
                if (who == Who.NOBODY) {
                    continue;
                }
                String name = who.name().toLowerCase(java.util.Locale.ROOT).replace("_", "") + "1";
                users.create(new AdminUser(name, PasswordHash.of(PASSWORD), Set.of(roleOf.get(who)), false, false,
                        Instant.now()));
                if (who == Who.IG_TOKEN) {
                    String admin = client.login("admin", TestEngine.ADMIN_PASSWORD);
                    credentials.put(who, AdminClient.json(client.post("/api/users/" + name + "/tokens",
                            "{\"label\":\"matrix token\"}", admin)).get("token").asText());
                } else {
                    credentials.put(who, client.login(name, PASSWORD));
                }
            }
            users.create(new AdminUser("spare", PasswordHash.of(PASSWORD), Set.of(Role.ANALYST), false, false,
                    Instant.now()));

            List<String> wrong = new ArrayList<>();
            for (Row row : table()) {
                for (Who who : Who.values()) {
                    String credential = who == Who.NOBODY ? null
                            : row.pattern().equals("/api/logout") && who != Who.IG_TOKEN
                            ? client.login(who.name().toLowerCase(java.util.Locale.ROOT) + "1", PASSWORD)
                            : credentials.get(who);
                    HttpResponse<String> r = client.send(row.method(), row.path().get(), row.body().get(), credential);
                    int status = r.statusCode();
                    boolean allowed = row.allowed().contains(who);
                    boolean ok = allowed ? status >= 200 && status < 300
                            || status == 302 && (row.pattern().equals("/") || row.pattern().equals("/console"))
                            : status == (who == Who.NOBODY ? 401 : 403);
                    if (!ok) {
                        wrong.add(row.method() + " " + row.pattern() + " as " + who + ": " + status + " " + r.body());
                    }
                }
            }
            assertThat(wrong).as("calls that did not get what the table says").isEmpty();
        }
    }

    /** A replay job of the one message, started by the support user. */
    private String freshJob() {
        return AdminClient.json(new AdminClient(te).post("/api/replay", "{\"ids\":[\"" + messageId
                + "\"],\"reason\":\"matrix\"}", credentials.get(Who.SUPPORT))).get("jobId").asText();
    }

    /** A live token of the spare user, to revoke. */
    private long freshToken() {
        return new UserStore(te.engine().dataSource()).addToken("spare", Secrets.sha256(Secrets.random256()),
                "to revoke", Instant.now(), null);
    }

    /** An open directive, to end. */
    private long freshDirective() {
        return new ConsentRegistry(te.engine().dataSource()).record(ConsentDirective.builder(NHS, ConsentScope.ALL,
                null, ConsentChoice.DISSENT, LocalDate.of(2026, 1, 1)).source(DirectiveSource.PATIENT, null)
                .recordedBy("matrix").recordedAt(Instant.now()).build()).id();
    }
}
