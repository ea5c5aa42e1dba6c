package org.ilinks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ilinks.admin.AdminUser;
import org.ilinks.admin.PasswordHash;
import org.ilinks.admin.Role;
import org.ilinks.admin.UserStore;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.bench.SyntheticMessages;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.AdminClient;
import org.ilinks.support.LogCapture;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ilinks messages list|show} through a running engine's admin API, over real HTTP: one message delivered and
 * one the receiving system rejected (AR, so parked). Output, exit status, the API's record of each use, and what the
 * CLI says when the credentials are wrong or missing or the engine is not there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagesCommandTest {

    private static final String PASSWORD = "messages-cli-password-1";
    private static final String NHS = SyntheticMessages.nhsNumber(2);

    private final MllpReceiver receiver = new MllpReceiver("127.0.0.1", 0);
    private TestEngine engine;
    private String delivered;
    private String parked;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        receiver.start();
        receiver.respondWith(payload -> SequencedMessages.controlIdOf(payload).startsWith("REJECT") ? "AR" : "AA");
        engine = new TestEngine(root).mllpService("ward", receiver.port(), "ADT^A08").start();
        UserStore users = new UserStore(engine.engine().dataSource());
        users.create(new AdminUser("sam", PasswordHash.of(PASSWORD), Set.of(Role.SUPPORT), false, false,
                Instant.now()));
        users.create(new AdminUser("bea", PasswordHash.of(PASSWORD), Set.of(Role.SUPPORT, Role.BODY), false, false,
                Instant.now()));
        try (MllpClient mllp = new MllpClient("127.0.0.1", engine.port(), 2000, 10000)) {
            for (byte[] m : List.of(SequencedMessages.message("KEEP", 1, 1), SequencedMessages.message("REJECT", 2, 1))) {
                assertThat(AckSummary.parse(mllp.send(m)).code()).isEqualTo("AA");
            }
        }
        AdminClient client = new AdminClient(engine);
        String session = client.login("sam", PASSWORD);
        await().atMost(Duration.ofSeconds(30)).until(() -> AdminClient.json(client.get(
                "/api/messages?service=ward&status=delivered", session)).get("messages").size() == 1
                && AdminClient.json(client.get("/api/messages?service=ward&status=parked", session))
                        .get("messages").size() == 1);
        delivered = AdminClient.json(client.get("/api/messages?status=delivered", session)).get("messages").get(0)
                .get("messageId").asText();
        parked = AdminClient.json(client.get("/api/messages?status=parked", session)).get("messages").get(0)
                .get("messageId").asText();
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.stop();
        }
        receiver.stop();
    }

    @Test
    void listShowsMessagesNewestFirstWithEachServicesStatusAndTheApiRecordsTheUse() throws Exception {
        Result all = run("sam", "messages", "list", "--purpose", "INC-5");
        assertThat(all.exitCode).as(all.err).isZero();
        List<String> lines = all.out.lines().map(l -> l.strip().replaceAll(" {2,}", " | ")).toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("Messages, newest first, page 1: 2");
        assertThat(lines.get(1)).isEqualTo("RECEIVED | MESSAGE ID | TYPE | FROM | CONTROL ID | SERVICES");
        assertThat(lines.get(2)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\| " + parked
                + " \\| ADT\\^A08 \\| H4FAC \\| REJECT-P2-S1 \\| ward parked");
        assertThat(lines.get(3)).endsWith(delivered + " | ADT^A08 | H4FAC | KEEP-P1-S1 | ward delivered");

        Result unresolved = run("sam", "messages", "list", "--unresolved", "--service", "ward", "--page-size", "1");
        assertThat(unresolved.exitCode).as(unresolved.err).isZero();
        assertThat(unresolved.out).contains(parked).doesNotContain(delivered).doesNotContain("More:");
        Result paged = run("sam", "messages", "list", "--page-size", "1");
        assertThat(paged.out).contains(parked).doesNotContain(delivered).contains("More: --page 2");
        Result second = run("sam", "messages", "list", "--page-size", "1", "--page", "2");
        assertThat(second.out).contains("page 2: 1").contains(delivered).doesNotContain("More:");
        Result longAgo = run("sam", "messages", "list", "--from", "2020-01-01", "--to", "2020-01-31");
        assertThat(longAgo.out).as("days long before the messages").contains("page 1: 0");

        Result bad = run("sam", "messages", "list", "--status", "lost");
        assertThat(bad.exitCode).isEqualTo(2);
        assertThat(bad.err).contains("messages list: unknown status: use one of").doesNotContain("LOST");
        Result badPage = run("sam", "messages", "list", "--page-size", "501");
        assertThat(badPage.exitCode).isEqualTo(2);
        assertThat(badPage.err).contains("--page-size between 1 and 500");

        assertThat(personActions()).as("each use recorded by the API, and each session ended")
                .contains("sam|messages list; purpose: INC-5", "sam|messages list", "sam|logout");
    }

    @Test
    void showPrintsMetadataWithoutContentAndTheContentOnlyForABodyViewerWithAPurpose() throws Exception {
        Result meta;
        try (LogCapture logs = new LogCapture()) {
            meta = run("sam", "messages", "show", parked);
            assertThat(logs.text()).doesNotContain(NHS).doesNotContain("TEST^PATIENT");
        }
        assertThat(meta.exitCode).as(meta.err).isZero();
        assertThat(meta.out).contains("Message " + parked).contains("ADT^A08 (HL7 2.4)")
                .contains("control id   REJECT-P2-S1").contains("from         H4TEST at H4FAC")
                .contains("unresolved   yes").contains("bytes kept").contains("parked")
                .contains("rejected by the service (ACK AR)")
                .doesNotContain(NHS).doesNotContain("PATIENT").doesNotContain("PID|");

        Result noPurpose = run("bea", "messages", "show", "--content", parked);
        assertThat(noPurpose.exitCode).isEqualTo(2);
        assertThat(noPurpose.err).contains("--content needs --purpose");
        assertThat(noPurpose.out).doesNotContain("PATIENT");

        Result notAllowed = run("sam", "messages", "show", "--content", "--purpose", "INC-77", parked);
        assertThat(notAllowed.exitCode).isEqualTo(1);
        assertThat(notAllowed.err).contains("messages show: not allowed (403): none of your roles allows this");
        assertThat(notAllowed.out).doesNotContain("PID|");

        Result content = run("bea", "messages", "show", "--content", "--purpose", "INC-77 check before replay",
                parked);
        assertThat(content.exitCode).as(content.err).isZero();
        assertThat(content.out).contains("Content as received (patient data):")
                .contains("  PID|1||" + NHS + "^^^NHS^NH||TEST^PATIENT^P2||19700101|U");

        Result missing = run("sam", "messages", "show", "01JNOSUCHMESSAGE0000000000");
        assertThat(missing.exitCode).isEqualTo(1);
        assertThat(missing.err).contains("messages show: no message 01JNOSUCHMESSAGE0000000000");

        assertThat(personActions()).contains("sam|messages show", "bea|messages show; purpose: INC-77 check before "
                + "replay", "bea|messages content; purpose: INC-77 check before replay");
    }

    @Test
    void credentialsAreAUserWithAPasswordFromTheEnvironmentOrAnApiToken(@TempDir Path dir) throws Exception {
        Result wrong = run(Map.of(ApiConnection.PASSWORD_VARIABLE, "not-the-password"), "messages", "list",
                "--url", engine.adminUrl(), "--user", "sam");
        assertThat(wrong.exitCode).isEqualTo(1);
        assertThat(wrong.err).contains("messages list: log-in refused: user name or password is wrong")
                .doesNotContain("not-the-password");

        Result nobody = run(Map.of(), "messages", "list", "--url", engine.adminUrl());
        assertThat(nobody.exitCode).isEqualTo(2);
        assertThat(nobody.err).contains("say who you are: --user NAME");

        Result noPassword = run(Map.of(), "messages", "list", "--url", engine.adminUrl(), "--user", "sam");
        assertThat(noPassword.exitCode).as("no terminal to ask at in a test").isEqualTo(2);
        assertThat(noPassword.err).contains("no password for --user: set ILINKS_PASSWORD");

        String token = issueToken("sam");
        Path tokenFile = Files.writeString(dir.resolve("token"), token + "\n");
        Result byFile = run(Map.of(), "messages", "list", "--url", engine.adminUrl(), "--token-file",
                tokenFile.toString());
        assertThat(byFile.exitCode).as(byFile.err).isZero();
        assertThat(byFile.out).contains(parked).doesNotContain(token);
        Result byVariable = run(Map.of(ApiConnection.TOKEN_VARIABLE, token), "messages", "show", delivered,
                "--url", engine.adminUrl());
        assertThat(byVariable.exitCode).as(byVariable.err).isZero();
        assertThat(byVariable.out).contains("Message " + delivered).contains("delivered");

        Result badToken = run(Map.of(ApiConnection.TOKEN_VARIABLE, "0".repeat(64)), "messages", "list", "--url",
                engine.adminUrl());
        assertThat(badToken.exitCode).isEqualTo(1);
        assertThat(badToken.err).contains("the API token was not accepted (401)").doesNotContain("0000");

        Result both = run(Map.of(), "messages", "list", "--url", engine.adminUrl(), "--user", "sam",
                "--token-file", tokenFile.toString());
        assertThat(both.exitCode).isEqualTo(2);
        assertThat(both.err).contains("give --user or --token-file, not both");
    }

    @Test
    void withoutARunningEngineItSaysWhereItLookedForTheApi(@TempDir Path dir) throws Exception {
        int nobodyListens = TestEngine.freePort();
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("application.properties"), "ilinks.admin.host=0.0.0.0\n"
                + "ilinks.admin.port=" + nobodyListens + "\n");
        Result refused = run(Map.of(ApiConnection.TOKEN_VARIABLE, "x".repeat(40)), "messages", "list",
                "--config", config.toString());
        assertThat(refused.exitCode).isEqualTo(1);
        assertThat(refused.err).contains("messages list: cannot reach the admin API at http://127.0.0.1:"
                + nobodyListens + ": is the engine running?");

        Result badUrl = run(Map.of(ApiConnection.TOKEN_VARIABLE, "x".repeat(40)), "messages", "list",
                "--url", "ftp://127.0.0.1/");
        assertThat(badUrl.exitCode).isEqualTo(2);
        assertThat(badUrl.err).contains("--url must be an http:// or https:// address");
    }

    @Test
    void theMessagesCommandsAreWiredIntoIlinks() {
        Result help = run(Map.of(), "messages", "show", "--help");
        assertThat(help.exitCode).isZero();
        assertThat(help.out).contains("--content").contains("--purpose").contains("--url").contains("--token-file");
    }

    /** A token for this user, issued through the API by an admin, as an operator would. */
    private String issueToken(String user) {
        new UserStore(engine.engine().dataSource()).create(new AdminUser("ada", PasswordHash.of(PASSWORD),
                Set.of(Role.ADMIN), false, false, Instant.now()));
        AdminClient client = new AdminClient(engine);
        String admin = client.login("ada", PASSWORD);
        return AdminClient.json(client.post("/api/users/" + user + "/tokens", "{\"label\":\"cli test\"}", admin))
                .get("token").asText();
    }

    /** user|detail of each PERSON_ACTION the API recorded, in order. */
    private List<String> personActions() {
        List<String> actions = new ArrayList<>();
        new AuditStore(engine.engine().dataSource(), new AuditHeadFile(engine.settings().auditHeadFile())).forEach(
                new AuditStore.Filter(null, null, AuditEventType.PERSON_ACTION, null, null, null),
                s -> actions.add(s.event().actorId() + "|" + s.event().detail()));
        return actions;
    }

    /** Runs the command as this user, against the test engine, with the password in the environment. */
    private Result run(String user, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", engine.adminUrl(), "--user", user));
        return run(Map.of(ApiConnection.PASSWORD_VARIABLE, PASSWORD), all.toArray(String[]::new));
    }

    static Result run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = IlinksCommand.commandLine(new HashMap<>(environment));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exitCode = cl.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    record Result(int exitCode, String out, String err) {
    }
}
