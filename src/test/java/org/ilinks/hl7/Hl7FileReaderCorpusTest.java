package org.ilinks.hl7;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ilinks.hl7.Hl7FileReader.Hl7File;
import org.ilinks.hl7.Hl7FileReader.TrailerCheck;
import org.ilinks.hl7.Hl7FileReader.TrailerStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the reader over the shared public corpus, as an outsider's files would reach it. Skipped when
 * the corpus is not there.
 */
class Hl7FileReaderCorpusTest {

    private static Path corpus;

    // Per test rather than per class, so that each test is reported as skipped with the reason.
    @BeforeEach
    void findCorpus() {
        String configured = System.getProperty("ilinks.corpus.dir");
        Path dir = configured != null
                ? Paths.get(configured)
                : Paths.get(System.getProperty("ilinks.project.dir", ".")).resolve("../shared/hl7-corpus").normalize();
        assumeTrue(Files.isDirectory(dir.resolve("messages")) && Files.isDirectory(dir.resolve("batch")),
                "HL7 corpus not found at " + dir + " (set -Dilinks.corpus.dir); skipping corpus tests");
        corpus = dir;
    }

    @Test
    void everyCorpusFileReadsAndEveryMessageStartsWithMsh() throws IOException {
        List<Path> files = corpusFiles();
        int messages = 0;
        int filesWithWarnings = 0;
        int trailerProblems = 0;
        for (Path path : files) {
            Hl7File[] holder = new Hl7File[1];
            assertThatCode(() -> holder[0] = Hl7FileReader.read(path)).as(path.toString()).doesNotThrowAnyException();
            Hl7File file = holder[0];
            for (byte[] message : file.messages()) {
                String text = new String(message, ISO_8859_1);
                assertThat(text).as(path.getFileName().toString()).startsWith("MSH").endsWith("\r").doesNotContain("\n");
                assertThat(Arrays.stream(text.split("\r")).map(s -> s.length() >= 3 ? s.substring(0, 3) : s))
                        .as("envelope segments left in a message of %s", path.getFileName())
                        .doesNotContain("FHS", "BHS", "BTS", "FTS");
            }
            messages += file.messages().size();
            filesWithWarnings += file.warnings().isEmpty() ? 0 : 1;
            trailerProblems += file.trailerWarnings().size();
        }
        System.out.printf("corpus: %d files, %d messages, %d files with warnings, %d batch-trailer problems%n",
                files.size(), messages, filesWithWarnings, trailerProblems);
        assertThat(files).hasSizeGreaterThanOrEqualTo(200);
    }

    @Test
    void singleMessageFilesGiveOneMessageWithTheirOwnBytes() throws IOException {
        try (Stream<Path> paths = Files.list(corpus.resolve("messages"))) {
            for (Path path : paths.sorted().toList()) {
                byte[] bytes = Files.readAllBytes(path);
                Hl7File file = Hl7FileReader.read(bytes);
                if (path.getFileName().toString().contains("nomsh")) {
                    assertThat(file.messages()).isEmpty();
                    assertThat(file.warnings()).contains("no HL7 message found (no line begins with MSH)");
                    continue;
                }
                assertThat(file.messages()).as(path.getFileName().toString()).hasSize(1);
                assertThat(file.warnings()).as(path.getFileName().toString()).isEmpty();
                assertThat(new String(file.messages().get(0), ISO_8859_1))
                        .as("bytes of %s", path.getFileName())
                        .isEqualTo(normalisedIndependently(bytes));
            }
        }
    }

    @Test
    void fhsBhsBatchGivesTheMessagesInsideAndFlagsItsWrongBtsCount() throws IOException {
        // Microsoft FHIR-Converter's batch: BTS-1 says 1 but the batch holds 2 messages (both with MSH-10 "1").
        Hl7File file = read("batch/135_msfc_ORU-R01.hl7");

        assertThat(file.messages()).hasSize(2);
        assertThat(file.messages()).allSatisfy(m -> assertThat(new String(m, ISO_8859_1)).contains("|ORU^R01|1|"));
        assertThat(file.trailerChecks()).extracting(TrailerCheck::segment, TrailerCheck::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("BTS", TrailerStatus.MISMATCH),
                org.assertj.core.groups.Tuple.tuple("FTS", TrailerStatus.MATCH));
        assertThat(file.trailerWarnings()).containsExactly("BTS at line 11 declares 1 message(s) but 2 were found");
    }

    @Test
    void crlfBatchWithoutTrailersGivesItsMessagesAndReportsTheMissingTrailers() throws IOException {
        Hl7File file = read("batch/163_mirth_ORM-O01.hl7");

        assertThat(file.messages()).hasSize(1);
        assertThat(new String(file.messages().get(0), ISO_8859_1).split("\r")).hasSize(22);
        assertThat(file.trailerWarnings()).containsExactly(
                "BHS at line 2 has no BTS; 1 message(s) found",
                "FHS at line 1 has no FTS; 1 batch(es) found");
    }

    @Test
    void pythonHl7BatchesGiveTheMessagesInside() throws IOException {
        assertThat(read("batch/211_pyhl7_sample_batch.hl7").messages()).hasSize(1);
        assertThat(read("batch/212_pyhl7_sample_batch1.hl7").messages()).hasSize(2);
        assertThat(read("batch/212_pyhl7_sample_batch1.hl7").trailerWarnings()).isEmpty();

        Hl7File twoBatches = read("batch/218_pyhl7_sample_file1.hl7");
        assertThat(twoBatches.messages()).hasSize(3);
        assertThat(twoBatches.trailerChecks()).extracting(TrailerCheck::segment, TrailerCheck::declared,
                        TrailerCheck::found, TrailerCheck::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("BTS", 2, 2, TrailerStatus.MATCH),
                        org.assertj.core.groups.Tuple.tuple("BTS", 1, 1, TrailerStatus.MATCH),
                        org.assertj.core.groups.Tuple.tuple("FTS", 2, 2, TrailerStatus.MATCH));

        // FHS with messages but no BHS: the messages form one implicit batch, as FTS-1 says.
        Hl7File noBhs = read("batch/219_pyhl7_sample_file2.hl7");
        assertThat(noBhs.messages()).hasSize(2);
        assertThat(noBhs.trailerWarnings()).isEmpty();
    }

    @Test
    void pythonHl7BrokenBatchesWarnInsteadOfFailing() throws IOException {
        Hl7File bhsWithoutMsh = read("batch/215_pyhl7_sample_bad_batch.hl7");
        assertThat(bhsWithoutMsh.messages()).isEmpty();
        assertThat(bhsWithoutMsh.warnings()).anyMatch(w -> w.contains("belong to no message"));
        assertThat(bhsWithoutMsh.trailerWarnings()).containsExactly("BTS at line 7 declares 1 message(s) but 0 were found");

        // A second BHS in the middle of a message ends it; the segments after it belong to nothing.
        Hl7File bhsInsideMessage = read("batch/216_pyhl7_sample_bad_batch1.hl7");
        assertThat(bhsInsideMessage.messages()).hasSize(1);
        assertThat(new String(bhsInsideMessage.messages().get(0), ISO_8859_1).split("\r")).hasSize(2);
        assertThat(bhsInsideMessage.warnings()).anyMatch(w -> w.contains("after the BHS at line 4"));

        assertThat(read("batch/227_pyhl7_sample_bad_file3.hl7").messages()).isEmpty();
    }

    private static Hl7File read(String relative) throws IOException {
        Path path = corpus.resolve(relative);
        assumeTrue(Files.isRegularFile(path), "corpus file " + relative + " not found");
        return Hl7FileReader.read(path);
    }

    private static List<Path> corpusFiles() throws IOException {
        try (Stream<Path> messages = Files.list(corpus.resolve("messages"));
             Stream<Path> batch = Files.list(corpus.resolve("batch"))) {
            return Stream.concat(messages, batch).sorted().collect(Collectors.toList());
        }
    }

    /** A second, regex-based route to the expected bytes: no BOM, blank lines gone, CR after each line. */
    private static String normalisedIndependently(byte[] bytes) {
        String text = new String(bytes, ISO_8859_1);
        if (text.startsWith("\u00EF\u00BB\u00BF")) {
            text = text.substring(3);
        }
        return Arrays.stream(text.split("\r\n|\r|\n"))
                .filter(line -> !line.isBlank())
                .map(line -> line + "\r")
                .collect(Collectors.joining());
    }
}
