package org.ilinks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ilinks.governance.DecisionStore;
import org.ilinks.governance.consent.ConsentChoice;
import org.ilinks.governance.consent.ConsentDecider;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.governance.consent.ConsentScope;
import org.ilinks.governance.consent.DirectiveSource;
import org.ilinks.support.IntakeSender;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The promise of {@code ilinks try}: it prints the decision the running engine makes for the same message. A real
 * engine and {@code try} get the same configuration (services with different consent models, protection and
 * NHS-number rules, restricted-data authorisations and profiles that mask, pseudonymise and remove) and the same
 * consent directives (recorded in the engine's registry; written to a CSV for {@code try}). For every message, the
 * decisions recorded in routing_decision - outcome, reason code, reason and changes, per service - must be what
 * {@code try} prints, and each delivered file must be byte for byte the message {@code try} shows for that service.
 */
class TryMatchesEngineTest {

    private static final String DISSENT_CODE = "827241000000103";

    @TempDir
    Path tmp;

    @Test
    void tryPrintsTheDecisionsAndMessagesTheEngineMakes() throws Exception {
        LocalDate today = LocalDate.now(ConsentDecider.ZONE);
        Path samples = TestEngine.projectDir().resolve("samples");
        List<Path> files = new ArrayList<>();
        for (String name : List.of("01-adt-a01-admission-aintree.hl7", "04-oru-r01-hba1c-royal.hl7",
                "09-oru-r01-hiv-viral-load.hl7", "10-adt-a01-protected-record.hl7", "11-adt-a01-unverified-nhs-number.hl7",
                "12-adt-a01-opted-out-patient.hl7")) {
            files.add(samples.resolve(name));
        }
        // The GP's dissent code dated yesterday, so that it is in effect now; then another message about the same
        // patient, which the directive the first one recorded must govern in both.
        String yesterday = today.minusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE);
        // The viral load order recoded to a local code: only the result is restricted, so it is cut, not withheld.
        files.add(Files.writeString(tmp.resolve("09b-viral-load-order.hl7"),
                Files.readString(samples.resolve("09-oru-r01-hiv-viral-load.hl7"))
                        .replace("315124004^Human immunodeficiency virus viral load^SCT", "VL^Viral load^L")
                        .replace("clinic.\r", "clinic.\rOBX|2|NM|718-7^Haemoglobin^LN||135|g/L|||||F\r")
                        .replace("|REM-LAB-77001|", "|REM-LAB-77001B|")));
        files.add(Files.writeString(tmp.resolve("13-dissent-code-yesterday.hl7"),
                Files.readString(samples.resolve("13-oru-r01-dissent-code.hl7")).replace("20261125", yesterday)));
        files.add(Files.writeString(tmp.resolve("14-admission-after-dissent.hl7"), String.join("\r",
                "MSH|^~\\&|PAS|REM|ILINKS|NMERSEY|" + yesterday + "150000||ADT^A01^ADT_A01|REM-TRY-0014|P|2.4",
                "EVN|A01|" + yesterday + "150000",
                "PID|1||9990000050^^^NHS^NH~A1112223^^^REM^MR||CLARKE^DANIEL^^^MR||19660211|M|||88 QUEENS DRIVE^^"
                        + "LIVERPOOL^^L4 6SH^GBR^H|||||||||||||||||||||01",
                "PD1|||ORCHARD PRACTICE^^N81013",
                "PV1|1|I|WARD2^BAY1^BED4^REM|EM|||C1234567^HOUSE^GREGORY^^^DR|||180|||||||||V000140^^^REM^VN") + "\r"));

        try (TestEngine engine = new TestEngine(tmp.resolve("engine"))) {
            configure(engine);
            engine.start();
            ConsentRegistry registry = new ConsentRegistry(engine.engine().dataSource());
            List<ConsentDirective> directives = List.of(
                    ConsentDirective.builder("9990000042", ConsentScope.ALL, null, ConsentChoice.DISSENT,
                            today.minusDays(30)).source(DirectiveSource.PRACTICE, "N81013").recordedBy("Dr M Welby")
                            .recordedAt(Instant.now()).build(),
                    ConsentDirective.builder("9434765870", ConsentScope.CATEGORY, "secondary-use",
                            ConsentChoice.CONSENT, today.minusDays(30)).source(DirectiveSource.PATIENT, null)
                            .recordedBy("online consent form").recordedAt(Instant.now()).build());
            directives.forEach(registry::record);
            Path csv = Files.writeString(tmp.resolve("directives.csv"), "nhs_number,scope,scope_value,decision,"
                    + "effective_from,effective_to,source_type,source_id,recorded_by,reason\n"
                    + "9990000042,all,,dissent," + today.minusDays(30) + ",,practice,N81013,Dr M Welby,\n"
                    + "9434765870,category,secondary-use,consent," + today.minusDays(30) + ",,patient,,online consent "
                    + "form,\n");

            List<String> messageIds = new ArrayList<>();
            try (IntakeSender sender = new IntakeSender(engine.port())) {
                for (Path file : files) {
                    assertThat(sender.send(oneMessage(file))).as(file.getFileName().toString()).isEqualTo("AA");
                    // One at a time: a consent code recorded by one message governs the next, as in try.
                    messageIds.add(awaitNewDecision(engine, messageIds));
                }
            }

            Map<String, List<String>> printed = tryOutput(engine, csv, files);
            DecisionStore store = new DecisionStore(engine.engine().dataSource());
            Set<String> reasonCodes = new HashSet<>();
            List<String> allChanges = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                String file = files.get(i).toString();
                List<String> lines = printed.get(file);
                assertThat(lines).as("try output for " + file).isNotNull();
                Map<String, Decision> tried = decisions(lines);
                Map<String, Decision> engineDecided = new LinkedHashMap<>();
                for (DecisionStore.Row row : store.decisionsFor(messageIds.get(i))) {
                    assertThat(row.stage()).isEqualTo("ROUTING");
                    engineDecided.put(row.serviceId(), new Decision(row.outcome(), row.reasonCode(), row.reason(),
                            row.changes() == null ? List.of() : List.of(row.changes().split("; "))));
                }
                assertThat(tried).as("decisions for " + file + "; try printed:\n" + String.join("\n", lines))
                        .isEqualTo(engineDecided);
                for (Map.Entry<String, Decision> e : engineDecided.entrySet()) {
                    reasonCodes.add(e.getValue().outcome() + " " + e.getValue().reasonCode());
                    allChanges.addAll(e.getValue().changes());
                    if (e.getValue().outcome().equals("SEND")) {
                        Path delivered = engine.folderOut(e.getKey()).resolve(messageIds.get(i) + ".hl7");
                        String expected = String.join("\r", body(lines, e.getKey())) + "\r";
                        assertThat(new String(awaitFile(delivered), StandardCharsets.UTF_8))
                                .as("delivered to " + e.getKey() + " for " + file).isEqualTo(expected);
                    }
                }
            }
            // The scenarios really covered what they were meant to.
            assertThat(reasonCodes).contains("SEND NO_DIRECTIVE_OPT_OUT", "SEND CONSENT_CATEGORY",
                    "WITHHELD NO_CONSENT_OPT_IN", "WITHHELD DISSENT_ALL", "WITHHELD DISSENT_CATEGORY",
                    "WITHHELD PROTECTED_RECORD", "HELD NHS_NUMBER_NOT_VERIFIED", "WITHHELD RESTRICTED_CONTENT_ONLY");
            assertThat(allChanges).anyMatch(c -> c.contains("removed as restricted data (hiv)"))
                    .anyMatch(c -> c.endsWith(": mask")).anyMatch(c -> c.endsWith(": pseudonymise"))
                    .anyMatch(c -> c.endsWith(": segment removed"));
        }
    }

    /** Five services, each governed differently; all deliver to folders so the bytes can be compared. */
    private static void configure(TestEngine engine) throws Exception {
        Files.copy(TestEngine.projectDir().resolve("config/restricted-codes.yaml"),
                engine.configDir().resolve("restricted-codes.yaml"));
        Files.writeString(engine.configDir().resolve("consent-codes.yaml"), "codes:\n  - system: SCT\n    code: \""
                + DISSENT_CODE + "\"\n    effect: start-dissent\n    scope: category\n    category: secondary-use\n");
        engine.service("ae.yaml", """
                id: ae
                description: A&E - opt-out, sees protected and unverified patients, no restricted data
                subscribe:
                  messageTypes: [ADT^A01, ADT^A03, ORU^R01]
                governance:
                  consent: opt-out
                  categories: [direct-care]
                  protectedRecords: receive
                  unverifiedNhsNumber: send
                  restrictedData: []
                endpoint:
                  folder: {path: out/ae}
                """);
        engine.profile("ae", """
                description: names masked, everything else the tests send kept
                segments:
                  EVN: all
                  PID:
                    PID-3: keep
                    PID-5.1: mask
                    PID-5.2: keep
                    PID-7: keep
                    PID-8: keep
                    PID-32: keep
                  PD1: all
                  PV1: all
                  ORC: all
                  OBR: all
                  OBX: all
                  NTE: all
                  NK1: all
                  AL1: all
                """);
        engine.service("amu.yaml", """
                id: amu
                description: acute medical unit - authorised for HIV results
                subscribe:
                  messageTypes: [ADT^A01, ORU^R01]
                governance:
                  consent: opt-out
                  categories: [direct-care]
                  protectedRecords: receive
                  unverifiedNhsNumber: send
                  restrictedData: [hiv]
                endpoint:
                  folder: {path: out/amu}
                """);
        engine.service("social.yaml", """
                id: social
                description: social care - inpatients and emergencies only, holds unverified, withholds protected
                subscribe:
                  messageTypes: [ADT^A01, ADT^A03]
                  patientClasses: [I, E]
                governance:
                  consent: opt-out
                  categories: [social-care]
                  protectedRecords: withhold
                  unverifiedNhsNumber: hold
                endpoint:
                  folder: {path: out/social}
                """);
        engine.profile("social", """
                description: identity and stay only
                segments:
                  PID:
                    PID-3[type=NH]: keep
                    PID-5: keep
                    PID-11: keep
                  PV1:
                    PV1-2: keep
                    PV1-3: keep
                """);
        Files.createDirectories(engine.configDir().resolve("profiles/keys"));
        Files.writeString(engine.configDir().resolve("profiles/keys/planning.key"),
                "5f1c9a0e7b3d42c8a6e1f09b7d2c4e8a1b3f5d7c9e0a2b4c6d8e0f1a3b5c7d9e\n");
        engine.service("planning.yaml", """
                id: planning
                description: planning - opt-in, pseudonymised
                subscribe:
                  messageTypes: [ADT^A01, ADT^A03, ORU^R01]
                governance:
                  consent: opt-in
                  categories: [secondary-use]
                  protectedRecords: withhold
                  unverifiedNhsNumber: hold
                endpoint:
                  folder: {path: out/planning}
                """);
        engine.profile("planning", """
                description: pseudonymised activity
                pseudonymisation:
                  keyFile: keys/planning.key
                segments:
                  PID:
                    PID-3[type=NH].1: pseudonymise
                    PID-3[type=NH].5: keep
                    PID-7: age-band
                    PID-8: keep
                    PID-11.5: outward-code
                  PV1:
                    PV1-2: keep
                  OBR:
                    OBR-4: keep
                  OBX:
                    OBX-3: keep
                    OBX-5: keep
                """);
        engine.service("practice-results.yaml", """
                id: practice-results
                description: results for Park Surgery's patients
                subscribe:
                  messageTypes: [ORU^R01]
                  registeredPractices: [N82001]
                governance:
                  consent: opt-out
                  categories: [direct-care]
                  protectedRecords: withhold
                  unverifiedNhsNumber: send
                endpoint:
                  folder: {path: out/practice-results}
                """);
    }

    private static byte[] oneMessage(Path file) throws Exception {
        List<byte[]> messages = org.ilinks.hl7.Hl7FileReader.read(file).messages();
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    /** Waits for routing to record the decisions of the message just sent, and returns its id. */
    private static String awaitNewDecision(TestEngine engine, List<String> known) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Connection c = engine.engine().dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT DISTINCT message_id FROM routing_decision");
                 ResultSet rs = ps.executeQuery()) {
                List<String> fresh = new ArrayList<>();
                while (rs.next()) {
                    if (!known.contains(rs.getString(1))) {
                        fresh.add(rs.getString(1));
                    }
                }
                assertThat(fresh).as("messages routed since the last one").hasSizeLessThanOrEqualTo(1);
                if (fresh.size() == 1) {
                    return fresh.get(0);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the engine recorded no decision for the message within 30 s");
    }

    private static byte[] awaitFile(Path file) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                return Files.readAllBytes(file);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing delivered as " + file + " within 30 s");
    }

    /** Runs try on every file in one go (so consent codes carry from one message to the next) and splits its output by file. */
    private static Map<String, List<String>> tryOutput(TestEngine engine, Path csv, List<Path> files) {
        List<String> args = new ArrayList<>(List.of("try", "--config", engine.configDir().toString(), "--routes",
                engine.routesDir().toString(), "--consent", csv.toString(), "--at", Instant.now().toString()));
        files.forEach(f -> args.add(f.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute(args.toArray(String[]::new))).as(err.toString()).isZero();
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : out.toString().lines().toList()) {
            int at = line.indexOf(", message 1 of 1: ");
            if (at > 0 && !line.startsWith(" ")) {
                current = new ArrayList<>();
                byFile.put(line.substring(0, at), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        return byFile;
    }

    record Decision(String outcome, String reasonCode, String reason, List<String> changes) {
    }

    /** What try printed per service, leaving out services not subscribed (the engine records none for those). */
    private static Map<String, Decision> decisions(List<String> lines) {
        Map<String, Decision> found = new LinkedHashMap<>();
        java.util.regex.Pattern serviceLine = java.util.regex.Pattern.compile(
                "  ([a-z0-9-]+): (SEND|WITHHELD|HELD) \\(([A-Z_]+)\\) - (.*)");
        for (int i = 0; i < lines.size(); i++) {
            java.util.regex.Matcher m = serviceLine.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            List<String> changes = new ArrayList<>();
            if (i + 1 < lines.size() && lines.get(i + 1).equals("    removed/changed:")) {
                for (int j = i + 2; j < lines.size() && lines.get(j).startsWith("      "); j++) {
                    changes.add(lines.get(j).strip());
                }
            }
            found.put(m.group(1), new Decision(m.group(2), m.group(3), m.group(4), changes));
        }
        return found;
    }

    private static List<String> body(List<String> lines, String serviceId) {
        int start = lines.indexOf("    message " + serviceId + " would receive:");
        assertThat(start).as("try shows the message for " + serviceId).isNotNegative();
        List<String> body = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && lines.get(i).startsWith(TryReport.BODY_INDENT); i++) {
            body.add(lines.get(i).substring(TryReport.BODY_INDENT.length()));
        }
        return body;
    }
}
