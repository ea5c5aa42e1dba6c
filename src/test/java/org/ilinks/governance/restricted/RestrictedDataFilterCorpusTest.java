package org.ilinks.governance.restricted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ca.uhn.hl7v2.HL7Exception;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.ilinks.hl7.Delimiters;
import org.ilinks.hl7.Hl7Context;
import org.ilinks.hl7.Splitter;
import org.junit.jupiter.api.Test;

/**
 * Runs the filter over the public corpus with each message's own first coded entry declared restricted, so that
 * real-world message shapes are cut; skipped when the corpus is absent.
 */
class RestrictedDataFilterCorpusTest {

    @Test
    void cuttingARealMessageKeepsTheOtherSegmentsInOrderAndItStillParses() throws IOException {
        String configured = System.getProperty("ilinks.corpus.dir");
        Path projectDir = Path.of(System.getProperty("ilinks.project.dir", "."));
        Path corpus = configured != null ? Path.of(configured) : projectDir.resolve("../shared/hl7-corpus").normalize();
        assumeTrue(Files.isDirectory(corpus.resolve("messages")),
                "HL7 corpus not found at " + corpus + " (set -Dilinks.corpus.dir); skipping corpus run");
        List<Path> files;
        try (Stream<Path> listing = Files.list(corpus.resolve("messages"))) {
            files = listing.filter(f -> f.toString().endsWith(".hl7")).sorted().toList();
        }
        int cut = 0;
        for (Path file : files) {
            // ISO-8859-1 maps every byte to one character, so any corpus file survives the round trip.
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            if (!text.startsWith("MSH") || !parses(text)) {
                continue;
            }
            Optional<RestrictedCode> code = firstCode(text);
            if (code.isEmpty()) {
                continue;
            }
            RestrictedDataFilter filter = new RestrictedDataFilter(new RestrictedCodes(RestrictedCodes.DEFAULT_FIELDS,
                    List.of(new RestrictedCategory("test", "", List.of(code.get())))));
            Filtered filtered = filter.scan(text).removeFor(Set.of());
            String name = file.getFileName().toString();

            assertThat(filtered.removals()).as(name).isNotEmpty();
            assertThat(isSubsequence(segments(filtered.message()), segments(text))).as(name).isTrue();
            assertThat(segments(text).size() - segments(filtered.message()).size()).as(name)
                    .isEqualTo(filtered.segmentsRemoved());
            assertThat(parses(filtered.message())).as(name + " still parses").isTrue();
            assertThat(filter.scan(text).removeFor(Set.of("test")).message()).as(name).isSameAs(text);
            cut++;
        }
        assertThat(cut).as("corpus messages with a coded OBR-4, OBX-3 or DG1-3").isGreaterThan(10);
    }

    /** The first code with a code system in OBR-4, OBX-3 or DG1-3, as a test's restricted code. */
    private static Optional<RestrictedCode> firstCode(String text) {
        List<String> segments = segments(text);
        Delimiters delimiters = Delimiters.of(segments.get(0));
        for (String segment : segments) {
            List<String> fields = Splitter.split(segment, delimiters.field());
            int index = switch (fields.get(0)) {
                case "OBR" -> 4;
                case "OBX", "DG1" -> 3;
                default -> -1;
            };
            if (index < 0 || index >= fields.size()) {
                continue;
            }
            String first = Splitter.split(fields.get(index), delimiters.repetition()).get(0);
            List<String> components = Splitter.split(first, delimiters.component());
            if (components.size() > 2 && !components.get(0).isBlank() && !components.get(2).isBlank()
                    && components.get(0).indexOf(delimiters.escape()) < 0) {
                return Optional.of(new RestrictedCode(components.get(2), components.get(0), ""));
            }
        }
        return Optional.empty();
    }

    private static List<String> segments(String text) {
        return Arrays.stream(text.split("[\r\n]+")).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean isSubsequence(List<String> kept, List<String> original) {
        int at = 0;
        for (String segment : kept) {
            while (at < original.size() && !original.get(at).equals(segment)) {
                at++;
            }
            if (at == original.size()) {
                return false;
            }
            at++;
        }
        return true;
    }

    private static boolean parses(String text) {
        try {
            Hl7Context.parser().parse(text.replace("\r\n", "\r").replace('\n', '\r'));
            return true;
        } catch (HL7Exception | RuntimeException e) {
            return false;
        }
    }
}
