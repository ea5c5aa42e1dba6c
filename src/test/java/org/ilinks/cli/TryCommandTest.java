package org.ilinks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.ilinks.hl7.Hl7Context;
import org.ilinks.support.LogCapture;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ilinks try} through picocli on a copy of the shipped configuration and the shipped samples: the decision
 * per service and why, the message each service would receive, and the exit status for each kind of problem.
 */
class TryCommandTest {

    /** After consent-demo.csv's dissent (2026-10-01) and the samples' own dates. */
    private static final String AT = "2026-11-29T10:00:00Z";

    @TempDir
    Path tmp;
    Path config;
    final Path samples = TestEngine.projectDir().resolve("samples");

    @BeforeEach
    void shippedConfig() throws Exception {
        config = tmp.resolve("config");
        Path shipped = TestEngine.projectDir().resolve("config");
        try (Stream<Path> all = Files.walk(shipped)) {
            for (Path p : all.toList()) {
                Path target = config.resolve(shipped.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".key")) {
                    Files.copy(p, target);
                }
            }
        }
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Files.writeString(config.resolve("profiles/keys/planning-open-data.key"),
                java.util.HexFormat.of().formatHex(key) + "\n");
    }

    private Result tryCommand(String... args) {
        List<String> all = new ArrayList<>(List.of("try", "--config", config.toString(), "--routes",
                TestEngine.projectDir().resolve("routes").toString()));
        all.addAll(Arrays.asList(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit;
        try (LogCapture logs = new LogCapture()) {
            exit = cl.execute(all.toArray(String[]::new));
            return new Result(exit, out.toString(), err.toString(), logs.text());
        }
    }

    private String sample(String name) {
        return samples.resolve(name).toString();
    }

    /**
     * Sample 09 with its order (OBR-4) recoded to a local code that is on no restricted list: only the HIV result
     * (OBX-3, LOINC 25836-8) is restricted, so the unauthorised services get the order without the result.
     */
    private String partlyRestrictedSample() throws Exception {
        Path copy = tmp.resolve("09b-oru-r01-viral-load-order.hl7");
        Files.writeString(copy, Files.readString(samples.resolve("09-oru-r01-hiv-viral-load.hl7"))
                .replace("315124004^Human immunodeficiency virus viral load^SCT", "VL^Viral load^L")
                        .replace("clinic.\r", "clinic.\rOBX|2|NM|718-7^Haemoglobin^LN||135|g/L|||||F\r"));
        return copy.toString();
    }

    @Test
    void hivResultIsSentWholeToTheAuthorisedUnitAndWithheldFromTheOthers() {
        Result r = tryCommand("--at", AT, sample("09-oru-r01-hiv-viral-load.hl7"));

        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.service("aintree-amu")).startsWith("aintree-amu: SEND (NO_DIRECTIVE_OPT_OUT) - ");
        assertThat(r.body("aintree-amu")).anyMatch(s -> s.startsWith("OBX|1|NM|25836-8^"))
                .anyMatch(s -> s.startsWith("NTE|1||"));
        for (String other : List.of("aintree-ae", "diabetes-partnership")) {
            assertThat(r.service(other)).isEqualTo(other + ": WITHHELD (RESTRICTED_CONTENT_ONLY) - all of the "
                    + "message's clinical content is legally restricted (hiv) and service " + other
                    + " is not authorised for it");
        }
        assertThat(r.service("planning-open-data")).startsWith("planning-open-data: WITHHELD (NO_CONSENT_OPT_IN)");
    }

    @Test
    void aRestrictedResultIsRemovedFromTheOrderForServicesNotAuthorised() throws Exception {
        Result r = tryCommand("--at", AT, partlyRestrictedSample());

        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.body("aintree-amu")).anyMatch(s -> s.startsWith("OBX|1|NM|25836-8^"));
        for (String other : List.of("aintree-ae", "diabetes-partnership")) {
            String section = r.section(other);
            assertThat(section).startsWith(other + ": SEND")
                    .contains("OBX[1]: removed as restricted data (hiv) with 1 segment(s) under it");
            assertThat(r.body(other)).as(other).noneMatch(s -> s.contains("25836-8")).anyMatch(s -> s.contains("718-7")).noneMatch(s -> s.startsWith("NTE"))
                    .anyMatch(s -> s.startsWith("OBR|"));
        }
        assertThat(r.service("planning-open-data")).startsWith("planning-open-data: WITHHELD (NO_CONSENT_OPT_IN)");
        assertThat(r.service("community-nursing")).isEqualTo("community-nursing: not subscribed - message type "
                + "ORU^R01 is not one it subscribes to");
        assertThat(r.out).contains("try: no consent directives (try does not read the consent registry; use "
                + "--consent FILE.csv)");
    }

    @Test
    void theMessageShownIsTheWholeMinimisedMessageAndParses() throws Exception {
        Result r = tryCommand("--at", AT, partlyRestrictedSample());

        List<String> body = r.body("diabetes-partnership");
        assertThat(body.get(0)).startsWith("MSH|^~\\&|WINPATH|REM|");
        // The profile keeps only the NHS number and the postcode of the address.
        assertThat(body).anyMatch(s -> s.startsWith("PID|||9990000018^^^NHS^NH||") && s.contains("^^^^L10 3JA"))
                .noneMatch(s -> s.contains("H4455667")).noneMatch(s -> s.startsWith("PV1"));
        assertThat(r.section("diabetes-partnership")).contains("PID-3: repetition removed").contains("PV1: segment removed");
        ca.uhn.hl7v2.model.Message parsed = Hl7Context.parser().parse(String.join("\r", body) + "\r");
        assertThat(parsed.getName()).isEqualTo("ORU_R01");
    }

    @Test
    void optedOutPatientIsWithheldFromEveryServiceGivenTheConsentFile() {
        Result r = tryCommand("--at", AT, "--consent", sample("consent-demo.csv"),
                sample("12-adt-a01-opted-out-patient.hl7"));

        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out).contains("try: 2 consent directive(s) from " + sample("consent-demo.csv"))
                .doesNotContain("no consent directives");
        for (String service : List.of("aintree-ae", "aintree-amu", "sefton-adult-social-care", "planning-open-data")) {
            assertThat(r.service(service)).isEqualTo(service + ": WITHHELD (DISSENT_ALL) - dissent from all sharing "
                    + "recorded 2026-10-01 by practice N81013");
        }
        assertThat(r.out).doesNotContain("would receive").doesNotContain("9990000042").doesNotContain("HUGHES");
        assertThat(r.patientLine()).isEqualTo("  patient: NHS number verified; registered practice N81013; protected "
                + "record no; patient class I; consent directives: 1");
    }

    @Test
    void withoutTheConsentFileTheSamePatientIsSent() {
        Result r = tryCommand("--at", AT, sample("12-adt-a01-opted-out-patient.hl7"));

        assertThat(r.service("aintree-ae")).startsWith("aintree-ae: SEND (NO_DIRECTIVE_OPT_OUT)");
        // A&E's profile keeps next of kin and allergies; social care's does not.
        assertThat(r.body("aintree-ae")).anyMatch(s -> s.startsWith("NK1|")).anyMatch(s -> s.startsWith("AL1|"));
    }

    @Test
    void beforeTheDissentTookEffectThePatientIsStillSent() {
        Result r = tryCommand("--at", "2026-09-30", "--consent", sample("consent-demo.csv"),
                sample("12-adt-a01-opted-out-patient.hl7"));

        assertThat(r.out).contains("try: judged at 2026-09-29T23:00:00Z");
        assertThat(r.service("aintree-ae")).startsWith("aintree-ae: SEND (NO_DIRECTIVE_OPT_OUT)");
    }

    @Test
    void protectedRecordIsWithheldFromServicesNotReceivingThem() {
        Result r = tryCommand("--at", AT, sample("10-adt-a01-protected-record.hl7"));

        for (String service : List.of("sefton-adult-social-care", "planning-open-data")) {
            assertThat(r.service(service)).isEqualTo(service + ": WITHHELD (PROTECTED_RECORD) - the record is "
                    + "protected (PD1-12 = Y) and service " + service + " is not declared to receive protected records");
        }
        assertThat(r.service("aintree-ae")).startsWith("aintree-ae: SEND");
        assertThat(r.patientLine()).contains("protected record yes (PD1-12 = Y)");
    }

    @Test
    void unverifiedNhsNumberIsHeldForServicesThatHold() {
        Result r = tryCommand("--at", AT, sample("11-adt-a01-unverified-nhs-number.hl7"));

        for (String service : List.of("sefton-adult-social-care", "planning-open-data")) {
            assertThat(r.service(service)).startsWith(service + ": HELD (NHS_NUMBER_NOT_VERIFIED) - the NHS number's "
                    + "trace status (PID-32) is 03");
        }
        assertThat(r.service("aintree-ae")).startsWith("aintree-ae: SEND");
        assertThat(r.patientLine()).startsWith("  patient: NHS number not verified (PID-32 03);")
                .doesNotContain("9990000034");
    }

    @Test
    void headerLineNamesTheFileTheMessageAndTheSenderOnly() {
        Result r = tryCommand("--at", AT, "--no-body", sample("08-batch-practice-registrations.hl7"));

        assertThat(r.lines()).contains(
                sample("08-batch-practice-registrations.hl7") + ", message 1 of 2: ADT^A28, control id "
                        + "N81013-20261126-0101, from N81013",
                sample("08-batch-practice-registrations.hl7") + ", message 2 of 2: ADT^A28, control id "
                        + "N81013-20261126-0102, from N81013");
        assertThat(r.out).doesNotContain("9449305552").doesNotContain("BROWN").doesNotContain("would receive")
                .doesNotContain("MSH|");
        assertThat(r.lines()).filteredOn(l -> l.startsWith("  diabetes-partnership: SEND")).hasSize(2);
    }

    @Test
    void serviceOptionShowsOnlyThoseServices() {
        Result r = tryCommand("--at", AT, "--service", "aintree-amu", "--service", "sefton-adult-social-care",
                sample("01-adt-a01-admission-aintree.hl7"));

        assertThat(r.exit).isZero();
        assertThat(r.serviceLines()).extracting(l -> l.substring(0, l.indexOf(':')))
                .containsExactly("aintree-amu", "sefton-adult-social-care");
    }

    @Test
    void unknownServiceIsAUsageError() {
        Result r = tryCommand("--service", "aintree-ea", sample("01-adt-a01-admission-aintree.hl7"));

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("no service 'aintree-ea'").contains("aintree-ae, aintree-amu");
        assertThat(r.out).isEmpty();
    }

    @Test
    void configProblemsArePrintedByFileAndLineWithExitOne() throws Exception {
        Path sefton = config.resolve("services/sefton-adult-social-care.yaml");
        Files.writeString(sefton, Files.readString(sefton).replace("protectedRecords: withhold",
                "protectedRecords: sometimes"));
        Files.delete(config.resolve("profiles/keys/planning-open-data.key"));

        Result r = tryCommand(sample("01-adt-a01-admission-aintree.hl7"));

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).containsPattern("sefton-adult-social-care\\.yaml:\\d+: .*protectedRecords")
                .containsPattern("planning-open-data\\.yaml:\\d+: ").contains("nothing was tried");
        assertThat(r.out).isEmpty();
    }

    @Test
    void unreadableFileBadAtAndBadConsentFileAreUsageErrors() throws Exception {
        assertThat(tryCommand(tmp.resolve("missing.hl7").toString()).exit).isEqualTo(2);
        Result badAt = tryCommand("--at", "yesterday", sample("01-adt-a01-admission-aintree.hl7"));
        assertThat(badAt.exit).isEqualTo(2);
        assertThat(badAt.err).contains("--at 'yesterday' is not a date-time");

        Path csv = Files.writeString(tmp.resolve("bad.csv"), "nhs_number,scope,scope_value,decision,effective_from,"
                + "effective_to,source_type,source_id,recorded_by,reason\n9990000042,all,,maybe,2026-10-01,,patient,,me,\n");
        Result badCsv = tryCommand("--consent", csv.toString(), sample("01-adt-a01-admission-aintree.hl7"));
        assertThat(badCsv.exit).isEqualTo(2);
        assertThat(badCsv.err).contains("bad.csv: line 2: decision must be dissent or consent")
                .doesNotContain("9990000042");
    }

    @Test
    void aMessageIntakeWouldRejectIsShownWithTheCodeTheSenderWouldGet() throws Exception {
        Path file = Files.writeString(tmp.resolve("v29.hl7"), "MSH|^~\\&|PAS|REM|ILINKS|NMERSEY|20261129081000||"
                + "ADT^A01^ADT_A01|REM-9|P|2.9\rPID|1||9434765919^^^NHS^NH||SMITH^JANE\r");

        Result r = tryCommand("--at", AT, file.toString());

        assertThat(r.exit).isZero();
        assertThat(r.lines()).contains("  rejected at intake: 203 Unsupported version id - HL7 version 2.9 is not "
                + "accepted (accepted: 2.1 ... 2.8.2); the sender would get AR, and nothing is kept or routed");
        assertThat(r.serviceLines()).isEmpty();
    }

    @Test
    void aConsentCodeInTheMessageIsShownAndAppliedInMemory() throws Exception {
        Files.writeString(config.resolve("consent-codes.yaml"), """
                codes:
                  - system: SCT
                    code: "827241000000103"
                    meaning: dissent from secondary use of GP patient identifiable data
                    effect: start-dissent
                    scope: category
                    category: secondary-use
                """);

        Result r = tryCommand("--at", AT, "--no-body", sample("13-oru-r01-dissent-code.hl7"));

        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.lines()).contains("  this message records: start dissent, scope category secondary-use, from "
                + "2026-11-25 (OBX[1]-5)");
        assertThat(r.service("planning-open-data")).isEqualTo("planning-open-data: WITHHELD (DISSENT_CATEGORY) - "
                + "dissent from sharing with secondary-use services recorded 2026-11-25 by practice N81013");
        assertThat(r.service("aintree-ae")).startsWith("aintree-ae: SEND (NO_DIRECTIVE_OPT_OUT)");
    }

    @Test
    void nothingReachesALog() {
        Result r = tryCommand("--at", AT, "--consent", sample("consent-demo.csv"), sample("09-oru-r01-hiv-viral-load.hl7"),
                sample("12-adt-a01-opted-out-patient.hl7"));

        assertThat(r.exit).isZero();
        assertThat(r.logs).doesNotContain("9990000018").doesNotContain("9990000042").doesNotContain("TAYLOR")
                .doesNotContain("HUGHES");
    }

    @Test
    void theReadmeExampleIsWhatTryPrints() throws Exception {
        String readme = Files.readString(TestEngine.projectDir().resolve("README.md"));
        String section = readme.substring(readme.indexOf("### Trying a message before go-live: `try`"));
        String example = section.substring(section.indexOf("```text\n") + 8, section.indexOf("```\n", 
                section.indexOf("```text\n") + 8));

        Result r = tryCommand("--at", AT, "--service", "aintree-amu", "--service", "aintree-ae",
                sample("09-oru-r01-hiv-viral-load.hl7"));

        String printed = r.out.lines().map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
        assertThat(printed.replace(samples + java.io.File.separator, "samples/")).isEqualTo(example);
    }

    record Result(int exit, String out, String err, String logs) {

        List<String> lines() {
            return out.lines().toList();
        }

        /** Lines of the form "  id: OUTCOME ..." (one per service shown, per message). */
        List<String> serviceLines() {
            return lines().stream().filter(l -> l.matches("  [a-z0-9-]+: (SEND|WITHHELD|HELD|not subscribed).*"))
                    .map(String::strip).toList();
        }

        String service(String id) {
            return serviceLines().stream().filter(l -> l.startsWith(id + ": ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no line for " + id + " in:\n" + out));
        }

        String patientLine() {
            return lines().stream().filter(l -> l.startsWith("  patient: ")).findFirst().orElseThrow();
        }

        /** The service's line and everything printed under it. */
        String section(String id) {
            List<String> lines = lines();
            StringBuilder s = new StringBuilder();
            boolean in = false;
            for (String l : lines) {
                if (l.startsWith("  " + id + ": ")) {
                    in = true;
                } else if (in && !l.startsWith("    ")) {
                    break;
                }
                if (in) {
                    s.append(l.strip()).append('\n');
                }
            }
            return s.toString();
        }

        /** The segments of the message shown for this service. */
        List<String> body(String id) {
            List<String> body = new ArrayList<>();
            boolean in = false;
            for (String l : lines()) {
                if (l.equals("    message " + id + " would receive:")) {
                    in = true;
                } else if (in && l.startsWith(TryReport.BODY_INDENT)) {
                    body.add(l.substring(TryReport.BODY_INDENT.length()));
                } else if (in) {
                    break;
                }
            }
            assertThat(body).as("body for " + id + " in:\n" + out).isNotEmpty();
            return body;
        }
    }
}
