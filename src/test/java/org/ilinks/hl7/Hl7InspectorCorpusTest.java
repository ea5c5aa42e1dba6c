package org.ilinks.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ca.uhn.hl7v2.util.Terser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the inspector over the public corpus the way an outsider's feed would hit it. Skipped
 * when the corpus is not there. Expectations come from the corpus README and MANIFEST.
 */
class Hl7InspectorCorpusTest {

    private static final Hl7Inspector INSPECTOR =
            new Hl7Inspector(Hl7Inspector.DEFAULT_ACCEPTED_VERSIONS, StandardCharsets.UTF_8);
    private static final AckBuilder ACKS = new AckBuilder("ILINKS", "ILINKS");
    private static final Map<String, byte[]> MESSAGES = new TreeMap<>();
    private static final Map<String, Inspection> RESULTS = new TreeMap<>();
    private static Path corpus;

    @BeforeAll
    static void inspectWholeCorpus() throws IOException {
        String configured = System.getProperty("ilinks.corpus.dir");
        Path projectDir = Path.of(System.getProperty("ilinks.project.dir", "."));
        corpus = configured != null ? Path.of(configured) : projectDir.resolve("../shared/hl7-corpus").normalize();
        if (!Files.isDirectory(corpus.resolve("messages"))) {
            return;
        }
        try (Stream<Path> files = Files.list(corpus.resolve("messages"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".hl7")).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                MESSAGES.put(file.getFileName().toString(), bytes);
                RESULTS.put(file.getFileName().toString(), INSPECTOR.inspect(bytes));
            }
        }
        System.out.println("Corpus messages rejected by Hl7Inspector (" + corpus + "):");
        System.out.printf("%-40s %-4s %-9s %s%n", "file", "code", "location", "reason");
        RESULTS.forEach((file, inspection) -> {
            if (!inspection.accepted()) {
                Rejection r = inspection.rejection();
                System.out.printf("%-40s %-4s %-9s %s%n", file, r.code(),
                        r.segment() + "-" + r.field(), r.reason());
            }
        });
        long accepted = RESULTS.values().stream().filter(Inspection::accepted).count();
        System.out.printf("%d of %d accepted%n", accepted, RESULTS.size());
        long nhs = RESULTS.values().stream().filter(Inspection::patientKeyIsNhsNumber).count();
        long other = RESULTS.values().stream()
                .filter(i -> i.patientKey() != null && !i.patientKeyIsNhsNumber()).count();
        System.out.printf("patient keys: %d NHS numbers, %d other identifiers, %d none%n",
                nhs, other, accepted - nhs - other);
    }

    private static Inspection result(String prefix) {
        assumeTrue(!RESULTS.isEmpty(), "HL7 corpus not found at " + corpus
                + " (set -Dilinks.corpus.dir); skipping corpus checks");
        return RESULTS.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("corpus file " + prefix + "* not found"));
    }

    @Test
    void everyMessageGetsAConsistentDecisionAndAParseableAck() throws Exception {
        assumeTrue(!RESULTS.isEmpty(), "HL7 corpus not found at " + corpus + "; skipping");
        assertThat(RESULTS).hasSizeGreaterThanOrEqualTo(200);
        for (Map.Entry<String, Inspection> entry : RESULTS.entrySet()) {
            Inspection inspection = entry.getValue();
            assertThat(inspection).as(entry.getKey()).isNotNull();
            assertThat(inspection.accepted()).as(entry.getKey()).isEqualTo(inspection.rejection() == null);
            String ack = ACKS.acknowledge(inspection);
            Terser terser = new Terser(Hl7Context.parser().parse(ack));
            assertThat(terser.get("/MSA-1")).as(entry.getKey()).isEqualTo(inspection.accepted() ? "AA" : "AR");
            assertThat(terser.get("/MSA-2")).as(entry.getKey()).isEqualTo(
                    inspection.header().controlId().isEmpty() ? null : inspection.header().controlId());
        }
    }

    @Test
    void onlyTheKnownBrokenMessagesAreRejected() {
        assumeTrue(!RESULTS.isEmpty(), "HL7 corpus not found at " + corpus + "; skipping");
        Map<String, String> rejected = new TreeMap<>();
        RESULTS.forEach((file, inspection) -> {
            if (!inspection.accepted()) {
                rejected.put(file.substring(0, 3), inspection.rejection().code());
            }
        });
        // 001 and 191 were pasted from Java source (MSH-2 '^~\\&'), 146 has no MSH, 149 is version 1.0,
        // and HAPI's Spanish OML samples 181 and 182 really have an empty MSH-10.
        assertThat(rejected).containsExactlyInAnyOrderEntriesOf(Map.of(
                "001", "102", "191", "102", "146", "100", "149", "203", "181", "101", "182", "101"));
        assertThat(result("181_").rejection().field()).isEqualTo(10);
    }

    @Test
    void rethinkNegativeCases() {
        Inspection noMsh = result("146_");
        assertThat(noMsh.rejection().code()).isEqualTo("100");
        assertThat(noMsh.rejection().reason()).contains("does not start with an MSH segment").doesNotContain("DOE");
        Inspection wrongVersion = result("149_");
        assertThat(wrongVersion.rejection().code()).isEqualTo("203");
        assertThat(wrongVersion.rejection().field()).isEqualTo(12);
        assertThat(wrongVersion.rejection().reason()).startsWith("HL7 version 1.0 is not accepted");
        assertThat(wrongVersion.header().controlId()).isEqualTo("MSG001");
    }

    @Test
    void javaPastedMessagesAreRejectedForTheirEncodingCharacters() {
        for (String prefix : new String[] {"001_", "191_"}) {
            Rejection rejection = result(prefix).rejection();
            assertThat(rejection.field()).as(prefix).isEqualTo(2);
            assertThat(rejection.reason()).as(prefix).contains("'^~\\\\&'").contains("used twice");
        }
    }

    @Test
    void unusualDelimitersAreAccepted() {
        Inspection custom = result("140_");
        assertThat(custom.accepted()).isTrue();
        assertThat(custom.header().encodingCharacters()).isEqualTo("!@%*");
        assertThat(custom.header().triggerEvent()).isEqualTo("A01");
        assertThat(custom.patientKey()).isEqualTo("MRN:12345");
        Inspection caretSeparator = result("186_");
        assertThat(caretSeparator.accepted()).isTrue();
        assertThat(caretSeparator.header().fieldSeparator()).isEqualTo("^");
        assertThat(caretSeparator.header().triggerEvent()).isEqualTo("A24");
        assertThat(result("190_").accepted()).as("backtick subcomponent separator").isTrue();
        for (String prefix : new String[] {"204_", "206_", "207_", "209_"}) {
            assertThat(result(prefix).header().encodingCharacters()).as(prefix).isEqualTo("^~\\&#");
            assertThat(result(prefix).accepted()).as(prefix).isTrue();
        }
    }

    @Test
    void byteOrderMarksAndBlankLinesAreAccepted() {
        assumeTrue(!RESULTS.isEmpty(), "HL7 corpus not found at " + corpus + "; skipping");
        int withBom = 0;
        for (Map.Entry<String, byte[]> entry : MESSAGES.entrySet()) {
            byte[] bytes = entry.getValue();
            if (bytes.length > 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF) {
                withBom++;
                assertThat(RESULTS.get(entry.getKey()).accepted()).as(entry.getKey()).isTrue();
            }
        }
        assertThat(withBom).as("BOM files in corpus").isGreaterThanOrEqualTo(14);
        assertThat(result("188_").accepted()).as("blank line before MSH").isTrue();
        Inspection bomAndBlankLine = result("189_");
        assertThat(bomAndBlankLine.accepted()).isTrue();
        assertThat(bomAndBlankLine.charset()).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void charsetsFromMsh18() {
        assertThat(result("124_").charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(result("170_").charset()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(result("194_").charset()).isEqualTo(StandardCharsets.US_ASCII);
    }

    @Test
    void ukFeedsYieldNhsNumbers() {
        Inspection uclh = result("002_");
        assertThat(uclh.patientKeyIsNhsNumber()).isTrue();
        assertThat(uclh.patientKey()).hasSize(10).containsOnlyDigits();
        for (String prefix : new String[] {"193_", "194_", "195_", "196_", "197_", "198_", "199_", "200_"}) {
            assertThat(result(prefix).patientKeyIsNhsNumber()).as(prefix + " NHSNBR^NHSNMBR").isTrue();
        }
        assertThat(result("052_").patientKeyIsNhsNumber()).as("052 NHS number in PID-19").isTrue();
        // 042's NHS repetition has 11 digits, so the MRN (authority MRENTR&&ISO) is the key.
        Inspection badNhs = result("042_");
        assertThat(badNhs.patientKey()).startsWith("MRENTR:");
        assertThat(badNhs.patientKeyIsNhsNumber()).isFalse();
        Inspection noNhs = result("007_");
        assertThat(noNhs.patientKey()).startsWith("MRENTR:");
        assertThat(noNhs.patientKeyIsNhsNumber()).isFalse();
    }

    @Test
    void batchFilesNeverBreakTheInspector() throws IOException {
        assumeTrue(!RESULTS.isEmpty(), "HL7 corpus not found at " + corpus + "; skipping");
        try (Stream<Path> files = Files.list(corpus.resolve("batch"))) {
            for (Path file : files.toList()) {
                byte[] bytes = Files.readAllBytes(file);
                Inspection inspection = INSPECTOR.inspect(bytes);
                String text = new String(bytes, StandardCharsets.UTF_8).replace("\uFEFF", "").stripLeading();
                if (text.startsWith("FHS") || text.startsWith("BHS")) {
                    assertThat(inspection.rejection().code()).as(file.toString()).isEqualTo("100");
                    assertThat(inspection.rejection().reason()).as(file.toString()).contains("batch");
                }
            }
        }
    }

    @Test
    void typicalInspectionCost() {
        assumeTrue(!RESULTS.isEmpty(), "HL7 corpus not found at " + corpus + "; skipping");
        // Informational only (no timing assertion): prints the mean cost over the corpus.
        int rounds = 50;
        long accepted = 0;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            for (byte[] message : MESSAGES.values()) {
                accepted += INSPECTOR.inspect(message).accepted() ? 1 : 0;
            }
        }
        long nanos = System.nanoTime() - start;
        System.out.printf("Hl7Inspector: %.1f us per corpus message (mean of %d inspections, JIT warming)%n",
                nanos / 1000.0 / (rounds * MESSAGES.size()), rounds * MESSAGES.size());
        assertThat(accepted).isEqualTo(rounds * RESULTS.values().stream().filter(Inspection::accepted).count());
    }
}
