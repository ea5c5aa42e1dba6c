package org.ilinks.extract.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.ilinks.audit.AuditTrail;
import org.ilinks.governance.consent.ConsentChoice;
import org.ilinks.governance.consent.ConsentDecider;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.governance.consent.ConsentScope;
import org.ilinks.governance.consent.DirectiveSource;
import org.ilinks.governance.GovernanceStep;
import org.ilinks.message.MessageHeaders;
import org.ilinks.support.Jms;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jms.connection.JmsTransactionManager;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A practice's CSV extract through a real engine (embedded Artemis, H2, the consent registry, folder and queue
 * services, the delivery routes): each service receives one file with only the rows and columns it may have.
 */
class CsvExtractsEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String NHS_A = "9434765919";
    private static final String NHS_DISSENT_ALL = "9434765870";
    private static final String NHS_DISSENT_SECONDARY = "4010232137";
    private static final String NHS_INVALID = "4010232138";
    private static final String HEADER = "nhs_number,record_type,surname,date_of_birth,postcode,event_date\r\n";

    @TempDir
    static Path root;
    private static TestEngine engine;
    private static ConsentRegistry registry;
    private static JmsTemplate jms;
    private static TransactionTemplate transaction;
    private static AuditTrail audit;

    @BeforeAll
    static void startEngine() throws Exception {
        engine = new TestEngine(root);
        Path config = engine.configDir();
        Files.createDirectories(config.resolve("profiles/keys"));
        Files.writeString(config.resolve("profiles/keys/planning.key"),
                "3f8a1c9e5b7d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a\n");
        engine.profile("gp-direct", """
                        description: direct care; the whole row except the surname
                        extractColumns:
                          nhs_number: keep
                          record_type: keep
                          date_of_birth: keep
                          postcode: keep
                          event_date: keep
                        """)
                .profile("planning", """
                        description: planning; pseudonymised, banded, district only
                        pseudonymisation:
                          keyFile: keys/planning.key
                        extractColumns:
                          nhs_number: pseudonymise
                          record_type: keep
                          date_of_birth: age-band
                          postcode: outward-code
                          gp_code: keep
                        """)
                .profile("trust-imms", """
                        description: immunisations only, to the trust's queue
                        extractColumns:
                          nhs_number: keep
                          event_date: birth-year-month
                        """)
                .service("gp-direct.yaml", """
                        id: gp-direct
                        description: direct care team taking registrations and immunisations
                        subscribe:
                          extracts:
                            recordTypes: [REG, IMMS]
                        governance:
                          consent: opt-out
                          categories: [direct-care]
                          unverifiedNhsNumber: hold
                        endpoint:
                          folder:
                            path: out/gp-direct
                        """)
                .service("planning.yaml", """
                        id: planning
                        description: planning analysts, registrations only
                        subscribe:
                          messageTypes: [ADT^A04]
                          extracts:
                            recordTypes: [reg]
                            practices: [N81013]
                        governance:
                          consent: opt-out
                          categories: [secondary-use]
                          unverifiedNhsNumber: send
                        endpoint:
                          folder:
                            path: out/planning
                        """)
                .service("trust-imms.yaml", """
                        id: trust-imms
                        description: a trust's immunisation system, consuming a queue
                        subscribe:
                          extracts:
                            recordTypes: [IMMS]
                        governance:
                          consent: opt-out
                          unverifiedNhsNumber: hold
                        endpoint:
                          queue:
                            name: trust.imms
                        """)
                .folderService("hl7-only", "ADT^A01")
                .start();
        registry = new ConsentRegistry(engine.engine().dataSource());
        registry.record(directive(NHS_DISSENT_ALL, ConsentScope.ALL, null));
        registry.record(directive(NHS_DISSENT_SECONDARY, ConsentScope.CATEGORY, "secondary-use"));
        jms = new JmsTemplate(engine.engine().connectionFactory());
        jms.setSessionTransacted(true);
        jms.setDeliveryPersistent(true);
        jms.setExplicitQosEnabled(true);
        transaction = new TransactionTemplate(new JmsTransactionManager(engine.engine().connectionFactory()));
        audit = new AuditTrail(true, "test-node", Clock.systemUTC(), jms);
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.stop();
        }
    }

    private static ConsentDirective directive(String nhs, ConsentScope scope, String value) {
        return ConsentDirective.builder(nhs, scope, value, ConsentChoice.DISSENT, LocalDate.now(ConsentDecider.ZONE))
                .source(DirectiveSource.PRACTICE, "N81013").recordedBy("test").recordedAt(Instant.now()).build();
    }

    private static CsvMapping mapping() {
        return new CsvMapping(',', StandardCharsets.UTF_8, List.of("nhs_number", "record_type", "surname",
                "date_of_birth", "postcode", "event_date"), "nhs_number", "record_type",
                Map.of("date_of_birth", "yyyy-MM-dd", "event_date", "dd/MM/yyyy"));
    }

    private static ExtractContext context(String name, byte[] content) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        return new ExtractContext(jms, audit, registry, () -> engine.engine().governor().config(), Clock.systemUTC(),
                new ExtractContext.ExtractFile("N81013", name, content.length, sha));
    }

    private static CsvResult processCommitted(String name, String text) throws Exception {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        ExtractContext ctx = context(name, content);
        return transaction.execute(status -> CsvExtracts.process("N81013", name, content, mapping(), ctx));
    }

    private static String awaitFile(String service, String prefix) throws Exception {
        Path folder = engine.folderOut(service);
        await(service + " file " + prefix).atMost(WAIT).until(() -> Files.isDirectory(folder)
                && Files.list(folder).anyMatch(f -> f.getFileName().toString().startsWith(prefix)));
        try (var files = Files.list(folder)) {
            Path file = files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
            return Files.readString(file, StandardCharsets.UTF_8);
        }
    }

    @Test
    void eachServiceReceivesOneFileWithOnlyItsRowsAndColumns() throws Exception {
        String extract = HEADER
                + NHS_A + ",REG,Smith,1950-06-15,L9 7AL,01/03/2026\r\n"
                + NHS_DISSENT_ALL + ",REG,Jones,1980-01-01,L1 8JQ,01/03/2026\r\n"
                + NHS_DISSENT_SECONDARY + ",REG,Brown,2015-02-03,L20 3AB,01/03/2026\r\n"
                + NHS_INVALID + ",REG,Green,1990-12-31,CH41 1AA,01/03/2026\r\n"
                + NHS_A + ",IMMS,Smith,1950-06-15,L9 7AL,31/02/2026\r\n"
                + NHS_A + ",IMMS,Smith,1950-06-15,L9 7AL,02/03/2026\r\n"
                + NHS_A + ",LAB,Smith,1950-06-15,L9 7AL,02/03/2026\r\n";

        CsvResult result = processCommitted("extract-20260301.csv", extract);

        assertThat(result.badFileReason()).isNull();
        assertThat(result.records()).isEqualTo(7);
        assertThat(result.malformed()).isEqualTo(1);
        assertThat(result.malformedReasons()).containsExactly(
                "file extract-20260301.csv line 6: column event_date is not a date written dd/MM/yyyy");
        // A (REG, IMMS), the secondary-use dissenter (direct care), the invalid NHS number (planning): 4 rows.
        assertThat(result.sent()).isEqualTo(4);

        assertThat(awaitFile("gp-direct", "N81013-extract-20260301-gp-direct-")).isEqualTo(
                "nhs_number,record_type,date_of_birth,postcode,event_date\r\n"
                        + NHS_A + ",REG,1950-06-15,L9 7AL,01/03/2026\r\n"
                        + NHS_DISSENT_SECONDARY + ",REG,2015-02-03,L20 3AB,01/03/2026\r\n"
                        + NHS_A + ",IMMS,1950-06-15,L9 7AL,02/03/2026\r\n");

        String planning = awaitFile("planning", "N81013-extract-20260301-planning-");
        List<String> lines = planning.lines().toList();
        // gp_code is in the profile but not in this extract: left out. The dissenters are not there.
        assertThat(lines.get(0)).isEqualTo("nhs_number,record_type,date_of_birth,postcode");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).matches("[0-9a-f]{32},REG,65\\+,L9").doesNotContain(NHS_A);
        assertThat(lines.get(2)).matches("[0-9a-f]{32},REG,18-64,CH41").doesNotContain(NHS_INVALID);
        assertThat(planning).doesNotContain("Smith", "Green", "7AL");

        List<Jms.Received> trust = new ArrayList<>();
        await("trust.imms").atMost(WAIT).until(() -> {
            trust.addAll(Jms.drain(engine.engine().connectionFactory(), "trust.imms", 200));
            return !trust.isEmpty();
        });
        assertThat(trust).singleElement().satisfies(m -> {
            assertThat(new String(m.body(), StandardCharsets.UTF_8))
                    .isEqualTo("nhs_number,event_date\r\n" + NHS_A + ",2026-03\r\n");
            assertThat(m.message().getStringProperty(CsvExtracts.FILE_NAME))
                    .startsWith("N81013-extract-20260301-trust-imms-");
        });

        List<Jms.Received> parked = Jms.browse(engine.engine().connectionFactory(),
                GovernanceStep.INTAKE_PARKED_QUEUE);
        assertThat(parked).anySatisfy(m -> {
            assertThat(m.message().getStringProperty(MessageHeaders.PARKED_REASON)).isEqualTo(
                    "file extract-20260301.csv line 6: column event_date is not a date written dd/MM/yyyy");
            assertThat(m.message().getIntProperty(CsvExtracts.EXTRACT_LINE)).isEqualTo(6);
            assertThat(new String(m.body(), StandardCharsets.UTF_8)).startsWith(NHS_A + ",IMMS,Smith");
        });

        // Subject access: the dissenter's decisions are in the audit trail under their NHS number.
        await("audit of the dissent").atMost(WAIT).until(() -> auditDetails(NHS_DISSENT_ALL).size() == 2);
        assertThat(auditDetails(NHS_DISSENT_ALL)).allSatisfy(d -> assertThat(d)
                .startsWith("extract extract-20260301.csv line 3 (REG): DISSENT_ALL: "));
        await("audit of the queued files").atMost(WAIT).until(() -> auditOfType("QUEUED").stream()
                .anyMatch(d -> d.startsWith("extract extract-20260301.csv from N81013: 2 of 4 row(s) queued")));
        assertThat(auditOfType("QUEUED")).anySatisfy(d -> assertThat(d).contains("planning")
                .contains("1 withheld DISSENT_ALL", "1 withheld DISSENT_CATEGORY"));
    }

    @Test
    void aRolledBackFileLeavesNothingQueuedAndABadFileQueuesNothing() throws Exception {
        byte[] content = (HEADER + NHS_A + ",REG,Smith,1950-06-15,L9 7AL,05/03/2026\r\n")
                .getBytes(StandardCharsets.UTF_8);
        ExtractContext ctx = context("rolled-back.csv", content);
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            CsvExtracts.process("N81013", "rolled-back.csv", content, mapping(), ctx);
            throw new IllegalStateException("crash before the claim completes");
        })).isInstanceOf(IllegalStateException.class);

        CsvResult bad = processCommitted("bad-header.csv", HEADER.replace("surname", "family_name")
                + NHS_A + ",REG,Smith,1950-06-15,L9 7AL,05/03/2026\r\n");
        assertThat(bad.badFileReason()).startsWith("the header row does not match the agreed layout: column 3 is "
                + "not 'surname' (the first line must be the header: nhs_number,record_type,surname,");
        assertThat(bad.records()).isZero();

        // A file committed after both is delivered; queues are first in, first out, so the earlier ones were not there.
        processCommitted("after.csv", HEADER + NHS_A + ",REG,Smith,1950-06-15,L9 7AL,06/03/2026\r\n");
        awaitFile("gp-direct", "N81013-after-gp-direct-");
        try (var files = Files.list(engine.folderOut("gp-direct"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(n -> n.contains("rolled-back") || n.contains("bad-header"));
        }
        assertThat(auditOfType("QUEUED")).noneMatch(d -> d.contains("rolled-back") || d.contains("bad-header"));
    }

    private static List<String> auditDetails(String nhs) throws Exception {
        return query("SELECT detail FROM audit_event WHERE nhs_number = ? AND type = 'CONSENT_DECISION' ORDER BY seq",
                nhs);
    }

    private static List<String> auditOfType(String type) throws Exception {
        return query("SELECT detail FROM audit_event WHERE type = ? ORDER BY seq", type);
    }

    private static List<String> query(String sql, String value) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = engine.engine().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
