package org.ilinks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.config.Settings;
import org.ilinks.engine.Database;
import org.ilinks.support.LogCapture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ilinks audit verify|trail|patient|export} against a real H2 database in a temp data dir, with a trail of one
 * message for a patient who dissents from one of two services: output, exit status, and the PERSON_ACTION each use
 * leaves in the trail.
 */
class AuditCommandTest {

    private static final String NHS = "9434765919";
    private static final String MESSAGE = "01JAUDITTESTMESSAGE0000001";
    private static final Instant T0 = Instant.parse("2026-06-15T09:00:00Z");

    @TempDir
    Path tmp;
    Path config;

    @BeforeEach
    void trail() throws Exception {
        config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("application.properties"),
                "ilinks.data.dir=" + tmp.resolve("data").toString().replace("\\", "/") + "\n");
        List<AuditEvent> events = List.of(
                event("E1", AuditEventType.RECEIVED, 0, null, "mllp from PAS, 812 bytes, ADT^A01", "10.1.2.3"),
                event("E2", AuditEventType.CONSENT_DECISION, 1, "ward", "SEND: NO_DIRECTIVE_OPT_OUT", null),
                event("E3", AuditEventType.CONSENT_DECISION, 1, "study", "WITHHELD: DISSENT_SERVICE dissent from "
                        + "sharing with service study", null),
                event("E4", AuditEventType.WITHHELD, 2, "study", "DISSENT_SERVICE", null),
                event("E5", AuditEventType.QUEUED, 2, "ward", "ADT^A01", null),
                event("E6", AuditEventType.DELIVERED, 3, "ward", "ADT^A01, ACK AA", null));
        try (Database db = Database.open(settings())) {
            new AuditStore(db.dataSource(), head()).append(events);
        }
    }

    @Test
    void verifyPassesThenFailsWithExitOneWhenARecordIsEdited() throws Exception {
        Result ok = run("verify", "--config", config.toString(), "--user", "auditor");

        assertThat(ok.exitCode).as(ok.err).isZero();
        assertThat(ok.out.lines()).containsExactly("audit trail verified: 7 records, head seq 7");
        assertThat(ok.err).isEmpty();

        sql("UPDATE audit_event SET detail = 'SEND' WHERE seq = 3");
        Result bad = run("verify", "--config", config.toString());
        assertThat(bad.exitCode).isEqualTo(1);
        assertThat(bad.err.lines()).containsExactly(
                "audit trail does NOT verify: record 3 was modified: its content does not match its hash");
        assertThat(bad.out).isEmpty();
    }

    @Test
    void trailListsEveryHopInOrderAndRecordsWhoLookedAndWhy() throws Exception {
        Result r;
        try (LogCapture logs = new LogCapture()) {
            r = run("trail", "--config", config.toString(), "--user", "support-1", "--purpose", "INC-1234", MESSAGE);
            assertThat(logs.text()).doesNotContain(NHS);
        }

        assertThat(r.exitCode).as(r.err).isZero();
        List<String> lines = r.out.lines().map(l -> l.strip().replaceAll(" {2,}", " | ")).toList();
        assertThat(lines.get(0)).isEqualTo("Trail of message " + MESSAGE + ": 7 event(s)");
        assertThat(lines.get(1)).isEqualTo("TIME | EVENT | OUTCOME | SERVICE | ACTOR | DETAIL");
        assertThat(lines.subList(2, lines.size())).extracting(l -> l.split(" \\| ")[1]).containsExactly(
                "RECEIVED", "CONSENT_DECISION", "CONSENT_DECISION", "WITHHELD", "QUEUED", "DELIVERED",
                "PERSON_ACTION");
        assertThat(lines.get(2)).isEqualTo("2026-06-15 10:00:00.000 | RECEIVED | success | - | node-1 10.1.2.3 | "
                + "mllp from PAS, 812 bytes, ADT^A01");
        assertThat(lines.get(8)).contains("| success | - | support-1 |").endsWith("audit trail; purpose: INC-1234");
        assertThat(r.out).doesNotContain(NHS);
        assertThat(personActions()).containsExactly("support-1|audit trail; purpose: INC-1234|" + MESSAGE + "|");
    }

    @Test
    void patientReportShowsWhatWasSentAndWhatWasWithheld() throws Exception {
        Result r = run("patient", "--config", config.toString(), "--user", "ig-officer", "--purpose", "SAR 2026/17",
                "--from", "2026-06-01", "--to", "2026-06-15", "943 476 5919");

        assertThat(r.exitCode).as(r.err).isZero();
        List<String> lines = r.out.lines().map(l -> l.strip().replaceAll(" {2,}", " | ")).toList();
        assertThat(lines).containsExactly(
                "Subject-access report for NHS number 943 476 5919, 2026-06-01 to 2026-06-15 (England): 6 event(s)",
                "Service ward: delivered 1, queued 1, withheld, held or removed 0",
                "consent | 2026-06-15 10:01:00 | CONSENT_DECISION | message " + MESSAGE + " | SEND: "
                        + "NO_DIRECTIVE_OPT_OUT",
                "sent | 2026-06-15 10:02:00 | QUEUED | message " + MESSAGE + " | ADT^A01",
                "sent | 2026-06-15 10:03:00 | DELIVERED | message " + MESSAGE + " | ADT^A01, ACK AA",
                "Service study: delivered 0, queued 0, withheld, held or removed 1",
                "consent | 2026-06-15 10:01:00 | CONSENT_DECISION | message " + MESSAGE + " | WITHHELD: "
                        + "DISSENT_SERVICE dissent from sharing with service study",
                "withheld | 2026-06-15 10:02:00 | WITHHELD | message " + MESSAGE + " | DISSENT_SERVICE",
                "Not for one service: 1",
                "received | 2026-06-15 10:00:00 | RECEIVED | message " + MESSAGE + " | mllp from PAS, 812 bytes, "
                        + "ADT^A01");
        assertThat(personActions()).containsExactly(
                "ig-officer|audit patient --from 2026-06-01 --to 2026-06-15; purpose: SAR 2026/17||" + NHS);

        Result before = run("patient", "--config", config.toString(), "--purpose", "SAR", "--to", "2026-06-14", NHS);
        assertThat(before.out.lines().findFirst()).hasValueSatisfying(l -> assertThat(l).endsWith(": 0 event(s)"));
        Result again = run("patient", "--config", config.toString(), "--purpose", "SAR", NHS);
        assertThat(again.out).as("earlier look-ups are part of the report").contains("looked up")
                .contains("by ig-officer");
    }

    @Test
    void lookUpsWithoutAPurposeOrWithABadNhsNumberAreRefusedAndShowNothing() throws Exception {
        Result noPurpose = run("trail", "--config", config.toString(), MESSAGE);
        Result badNhs = run("patient", "--config", config.toString(), "--purpose", "SAR", "9434765918");
        Result noPurposeExport = run("export", "--config", config.toString(), "--format", "csv");
        Result wrongWay = run("patient", "--config", config.toString(), "--purpose", "SAR", "--from", "2026-06-02",
                "--to", "2026-06-01", NHS);

        assertThat(noPurpose.exitCode).isEqualTo(2);
        assertThat(noPurpose.err).contains("--purpose is required");
        assertThat(noPurpose.out).isEmpty();
        assertThat(badNhs.exitCode).isEqualTo(2);
        assertThat(badNhs.err.lines()).containsExactly("audit patient: nothing shown: NHS-NUMBER is not a valid NHS "
                + "number");
        assertThat(noPurposeExport.exitCode).isEqualTo(2);
        assertThat(noPurposeExport.out).isEmpty();
        assertThat(wrongWay.err).contains("--to is before --from");
        assertThat(run().exitCode).isEqualTo(2);
        assertThat(personActions()).as("nothing was looked at").isEmpty();
    }

    @Test
    void exportFhirIsOneAuditEventResourcePerLine() throws Exception {
        Result r = run("export", "--config", config.toString(), "--format", "fhir", "--purpose", "SIEM feed",
                "--user", "siem");

        assertThat(r.exitCode).as(r.err).isZero();
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> resources = new ArrayList<>();
        for (String line : r.out.lines().toList()) {
            resources.add(mapper.readTree(line));
        }
        assertThat(resources).hasSize(7).allSatisfy(n ->
                assertThat(n.path("resourceType").asText()).isEqualTo("AuditEvent"));
        JsonNode received = resources.get(0);
        assertThat(received.path("type").path("code").asText()).isEqualTo("110107");
        assertThat(received.path("subtype").get(0).path("code").asText()).isEqualTo("RECEIVED");
        assertThat(received.path("action").asText()).isEqualTo("C");
        assertThat(received.path("recorded").asText()).isEqualTo("2026-06-15T09:00:00Z");
        assertThat(received.path("outcome").asText()).isEqualTo("0");
        assertThat(received.path("agent").get(0).path("network").path("address").asText()).isEqualTo("10.1.2.3");
        assertThat(received.path("source").path("observer").path("display").asText()).isEqualTo("node-1");
        JsonNode patient = received.path("entity").get(0).path("what").path("identifier");
        assertThat(patient.path("system").asText()).isEqualTo("https://fhir.nhs.uk/Id/nhs-number");
        assertThat(patient.path("value").asText()).isEqualTo(NHS);
        assertThat(received.path("entity").get(1).path("what").path("identifier").path("value").asText())
                .isEqualTo(MESSAGE);
        JsonNode person = resources.get(6);
        assertThat(person.path("subtype").get(0).path("code").asText()).isEqualTo("PERSON_ACTION");
        assertThat(person.path("agent").get(0).path("requestor").asBoolean()).isTrue();
        assertThat(person.path("agent").get(0).path("who").path("display").asText()).isEqualTo("siem");
        assertThat(personActions()).containsExactly("siem|audit export --format fhir; purpose: SIEM feed||");
    }

    @Test
    void exportCsvHasTheHeaderAndTheFilteredRows() throws Exception {
        Result r = run("export", "--config", config.toString(), "--format", "csv", "--purpose", "check",
                "--service", "ward", "--type", "DELIVERED");

        assertThat(r.exitCode).as(r.err).isZero();
        List<String> lines = r.out.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("seq,event_id,type,action,outcome,recorded_at,actor_type,actor_id,"
                + "actor_address,source,nhs_number,message_id,service_id,detail,prev_hash,hash");
        assertThat(lines.get(1)).startsWith("6,E6,DELIVERED,C,0,2026-06-15T09:03:00Z,system,node-1,,node-1,"
                + NHS + "," + MESSAGE + ",ward,\"ADT^A01, ACK AA\",");
        assertThat(personActions()).singleElement().satisfies(p ->
                assertThat(p).contains("audit export --format csv --type DELIVERED --service ward; purpose: check"));
    }

    @Test
    void theAuditCommandsAreWiredIntoIlinks() {
        StringWriter out = new StringWriter();
        picocli.CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));

        assertThat(cl.execute("audit", "--help")).isZero();
        assertThat(out.toString()).contains("verify").contains("trail").contains("patient").contains("export");
    }

    private static AuditEvent event(String id, AuditEventType type, int minute, String service, String detail,
                                    String address) {
        return new AuditEvent(id, type, AuditEvent.SUCCESS, T0.plusSeconds(60L * minute), AuditEvent.SYSTEM,
                "node-1", address, "node-1", NHS, MESSAGE, service, detail);
    }

    private Settings settings() {
        return Settings.load(config, Path.of("routes"));
    }

    private AuditHeadFile head() {
        return new AuditHeadFile(settings().auditHeadFile());
    }

    /** user|detail|message|nhs of each PERSON_ACTION, in order. */
    private List<String> personActions() throws Exception {
        List<String> actions = new ArrayList<>();
        try (Database db = Database.open(settings())) {
            new AuditStore(db.dataSource(), head()).forEach(
                    new AuditStore.Filter(null, null, AuditEventType.PERSON_ACTION, null, null, null),
                    s -> actions.add(s.event().actorId() + "|" + s.event().detail() + "|"
                            + (s.event().messageId() == null ? "" : s.event().messageId()) + "|"
                            + (s.event().nhsNumber() == null ? "" : s.event().nhsNumber())));
        }
        return actions;
    }

    private void sql(String sql) throws Exception {
        try (Database db = Database.open(settings()); Connection c = db.dataSource().getConnection();
             Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "audit";
        System.arraycopy(args, 0, all, 1, args.length);
        int exitCode = cl.execute(all);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {
    }
}
