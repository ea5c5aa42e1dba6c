package org.ilinks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.Settings;
import org.ilinks.engine.Database;
import org.ilinks.governance.DecisionStore;
import org.ilinks.governance.Outcome;
import org.ilinks.governance.ServiceOutcome;
import org.ilinks.governance.consent.ServiceConsentModel;
import org.ilinks.history.ContentCipher;
import org.ilinks.history.HistoryRecorder;
import org.ilinks.history.MessageRecord;
import org.ilinks.message.MessageHeaders;
import org.ilinks.support.LogCapture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ilinks messages list|show} against a real H2 database whose history holds a delivered and a parked message
 * (content encrypted under a key file): output, exit status, and the PERSON_ACTION each use leaves in the trail.
 * Content is shown only with --content and a purpose.
 */
class MessagesCommandTest {

    private static final String NHS = "9434765919";
    private static final Instant T0 = Instant.parse("2026-06-15T09:00:00Z");
    private static final String BODY = "MSH|^~\\&|GPSYS|N81013|ILINKS|NMERSEY|20260615100000||ADT^A08^ADT_A01|CTRL-%s"
            + "|P|2.4\rPID|1||" + NHS + "^^^NHS^NH||SMITH^JANE||19700101|F\r";

    @TempDir
    Path tmp;
    Path config;

    @BeforeEach
    void history() throws Exception {
        config = Files.createDirectories(tmp.resolve("config"));
        Path key = tmp.resolve("history.key");
        Files.writeString(key, "ab".repeat(32) + "\n");
        Files.writeString(config.resolve("application.properties"),
                "ilinks.data.dir=" + tmp.resolve("data").toString().replace("\\", "/") + "\n"
                        + "ilinks.history.key-file=" + key.toString().replace("\\", "/") + "\n");
        try (Database db = Database.open(settings()); CamelContext camel = new DefaultCamelContext()) {
            HistoryRecorder recorder = new HistoryRecorder(db.dataSource(), ContentCipher.fromKeyFile(key),
                    Clock.fixed(T0, ZoneOffset.UTC));
            route(db, recorder, camel, "01JMSGSDELIVERED0000000001", T0);
            recorder.delivered(delivery(camel, "01JMSGSDELIVERED0000000001"));
            route(db, recorder, camel, "01JMSGSPARKED0000000000002", T0.plusSeconds(60));
            Exchange rejected = delivery(camel, "01JMSGSPARKED0000000000002");
            rejected.getIn().setHeader(MessageHeaders.PARKED_REASON, "rejected by the service (ACK AR)");
            recorder.parked(rejected);
        }
    }

    @Test
    void listShowsMessagesNewestFirstWithEachServicesStatusAndRecordsTheUse() throws Exception {
        Result all = run("list", "--config", config.toString(), "--user", "support-1");
        assertThat(all.exitCode).as(all.err).isZero();
        List<String> lines = all.out.lines().map(l -> l.strip().replaceAll(" {2,}", " | ")).toList();
        assertThat(lines).containsExactly(
                "Messages, newest first, page 1: 2",
                "RECEIVED | MESSAGE ID | TYPE | FROM | CONTROL ID | SERVICES",
                "2026-06-15 10:01:00 | 01JMSGSPARKED0000000000002 | ADT^A08 | N81013 | CTRL-01JMSGSPARKED0000000000002"
                        + " | ward parked",
                "2026-06-15 10:00:00 | 01JMSGSDELIVERED0000000001 | ADT^A08 | N81013 | "
                        + "CTRL-01JMSGSDELIVERED0000000001 | ward delivered");

        Result unresolved = run("list", "--config", config.toString(), "--user", "support-1", "--unresolved",
                "--service", "ward", "--page-size", "1");
        assertThat(unresolved.exitCode).as(unresolved.err).isZero();
        assertThat(unresolved.out).contains("01JMSGSPARKED0000000000002").doesNotContain("01JMSGSDELIVERED")
                .doesNotContain("More:");
        Result paged = run("list", "--config", config.toString(), "--page-size", "1");
        assertThat(paged.out).contains("01JMSGSPARKED0000000000002").contains("More: --page 2");

        Result bad = run("list", "--config", config.toString(), "--status", "lost");
        assertThat(bad.exitCode).isEqualTo(2);
        assertThat(bad.err).contains("unknown status: use one of").doesNotContain("LOST");

        assertThat(personActions()).containsExactly(
                "support-1|messages list||",
                "support-1|messages list --service ward --unresolved||",
                System.getProperty("user.name") + "|messages list||");
    }

    @Test
    void showPrintsMetadataWithoutContentUnlessAskedWithAPurpose() throws Exception {
        String id = "01JMSGSPARKED0000000000002";
        Result meta;
        try (LogCapture logs = new LogCapture()) {
            meta = run("show", "--config", config.toString(), "--user", "support-1", id);
            assertThat(logs.text()).doesNotContain(NHS).doesNotContain("SMITH");
        }
        assertThat(meta.exitCode).as(meta.err).isZero();
        assertThat(meta.out).contains("Message " + id).contains("ADT^A08 (HL7 2.4)")
                .contains("unresolved   yes").contains("encrypted")
                .contains("parked").contains("rejected by the service (ACK AR)")
                .doesNotContain(NHS).doesNotContain("SMITH").doesNotContain("PID|");

        Result noPurpose = run("show", "--config", config.toString(), "--content", id);
        assertThat(noPurpose.exitCode).isEqualTo(2);
        assertThat(noPurpose.err).contains("--content needs --purpose");
        assertThat(noPurpose.out).doesNotContain("SMITH");

        Result content = run("show", "--config", config.toString(), "--user", "support-1", "--content",
                "--purpose", "INC-77 check before replay", id);
        assertThat(content.exitCode).as(content.err).isZero();
        assertThat(content.out).contains("Content as received (patient data):")
                .contains("  PID|1||" + NHS + "^^^NHS^NH||SMITH^JANE||19700101|F");

        Result missing = run("show", "--config", config.toString(), "01JNOSUCHMESSAGE0000000000");
        assertThat(missing.exitCode).isEqualTo(1);
        assertThat(missing.err).contains("no message 01JNOSUCHMESSAGE0000000000 in the history");

        assertThat(personActions()).containsExactly(
                "support-1|messages show " + id + "|" + id + "|" + NHS,
                "support-1|messages show " + id + " --content; purpose: INC-77 check before replay|" + id + "|" + NHS,
                System.getProperty("user.name") + "|messages show 01JNOSUCHMESSAGE0000000000|"
                        + "01JNOSUCHMESSAGE0000000000|");
    }

    @Test
    void theMessagesCommandsAreWiredIntoIlinks() {
        StringWriter out = new StringWriter();
        picocli.CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("messages", "show", "--help")).isZero();
        assertThat(out.toString()).contains("--content").contains("--purpose");
    }

    private static void route(Database db, HistoryRecorder recorder, CamelContext camel, String messageId, Instant at) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(MessageHeaders.MESSAGE_ID, messageId);
        e.getIn().setHeader(MessageHeaders.RECEIVED_AT, at.toEpochMilli());
        e.getIn().setHeader(MessageHeaders.MESSAGE_TYPE, "ADT");
        e.getIn().setHeader(MessageHeaders.TRIGGER_EVENT, "A08");
        e.getIn().setHeader(MessageHeaders.SENDING_APPLICATION, "GPSYS");
        e.getIn().setHeader(MessageHeaders.SENDING_FACILITY, "N81013");
        e.getIn().setHeader(MessageHeaders.CONTROL_ID, "CTRL-" + messageId);
        e.getIn().setHeader(MessageHeaders.VERSION, "2.4");
        byte[] body = String.format(BODY, messageId).getBytes(StandardCharsets.US_ASCII);
        MessageRecord record = recorder.arrival(e.getIn(), body, MessageRecord.Routing.ROUTED, null, at);
        ServiceDefinition ward = new ServiceDefinition("ward", "ward", Path.of("ward.yaml"),
                new ServiceDefinition.Subscription(List.of(ServiceDefinition.MessageTypePattern.parse("*")), List.of()),
                new ServiceDefinition.QueueEndpoint("trust.ward"), new ServiceDefinition.DeliveryPolicy(1, 1, 0, 1, 0,
                        ServiceDefinition.WhenParked.CONTINUE),
                new ServiceDefinition.Governance(ServiceConsentModel.OPT_OUT, Set.of(), false,
                        ServiceDefinition.UnverifiedNhsNumber.SEND, Set.of()));
        new DecisionStore(db.dataSource()).recordRouting(messageId, NHS, List.of(new ServiceOutcome(ward,
                Outcome.SEND, "NO_DIRECTIVE_OPT_OUT", "no directive; opt-out service", null, List.of())), at,
                record::write);
    }

    private static Exchange delivery(CamelContext camel, String messageId) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(MessageHeaders.MESSAGE_ID, messageId);
        e.setProperty("ilinksServiceId", "ward");
        return e;
    }

    private Settings settings() {
        return Settings.load(config, Path.of("routes"));
    }

    /** user|detail|message|nhs of each PERSON_ACTION, in order. */
    private List<String> personActions() throws Exception {
        List<String> actions = new ArrayList<>();
        try (Database db = Database.open(settings())) {
            new AuditStore(db.dataSource(), new AuditHeadFile(settings().auditHeadFile())).forEach(
                    new AuditStore.Filter(null, null, AuditEventType.PERSON_ACTION, null, null, null),
                    s -> actions.add(s.event().actorId() + "|" + s.event().detail() + "|"
                            + (s.event().messageId() == null ? "" : s.event().messageId()) + "|"
                            + (s.event().nhsNumber() == null ? "" : s.event().nhsNumber())));
        }
        return actions;
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "messages";
        System.arraycopy(args, 0, all, 1, args.length);
        int exitCode = cl.execute(all);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {
    }
}
