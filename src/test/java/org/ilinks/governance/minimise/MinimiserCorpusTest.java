package org.ilinks.governance.minimise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.ilinks.hl7.Hl7Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example profile over the public corpus as an outsider's feed would; skipped when it is absent. */
class MinimiserCorpusTest {

    @TempDir
    Path folder;

    @Test
    void everyMessageHapiReadsStillReadsAfterMinimisingAndKeepsOnlyAllowedSegments() throws IOException, HL7Exception {
        String configured = System.getProperty("ilinks.corpus.dir");
        Path projectDir = Path.of(System.getProperty("ilinks.project.dir", "."));
        Path corpus = configured != null ? Path.of(configured) : projectDir.resolve("../shared/hl7-corpus").normalize();
        assumeTrue(Files.isDirectory(corpus.resolve("messages")),
                "HL7 corpus not found at " + corpus + " (set -Dilinks.corpus.dir); skipping corpus run");
        Minimiser minimiser = new Minimiser(ProfileFiles.load(ProfileFiles.copyExample(folder)));
        Set<String> allowed = Set.of("MSH", "EVN", "PID", "PV1", "OBX", "ZPI");
        List<Path> files;
        try (Stream<Path> listing = Files.list(corpus.resolve("messages"))) {
            files = listing.filter(f -> f.toString().endsWith(".hl7")).sorted().toList();
        }
        int checked = 0;
        for (Path file : files) {
            // ISO-8859-1 maps every byte to one character, so any corpus file survives the round trip.
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).stripLeading();
            if (text.startsWith("\uFEFF") || !text.startsWith("MSH") || !parses(text)) {
                continue;
            }
            // HAPI's version lookup only knows CR segment ends; corpus files also use LF.
            String version = Hl7Context.parser().getVersion(text.replace("\r\n", "\r").replace('\n', '\r'));
            MinimisedMessage result = minimiser.minimise(text.getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.ISO_8859_1);
            for (String segment : result.text().split("\r")) {
                assertThat(allowed).as(file.getFileName() + " segment").contains(segment.substring(0, 3));
            }
            Message reparsed;
            try {
                reparsed = Hl7Context.parser().parse(result.text());
            } catch (HL7Exception e) {
                throw new AssertionError(file.getFileName() + " no longer parses after minimising: " + e.getMessage());
            }
            assertThat(Hl7Context.parser().getVersion(result.text())).as(file.getFileName().toString())
                    .isEqualTo(version);
            assertThat(reparsed).isNotNull();
            checked++;
        }
        System.out.println("Minimised and re-parsed " + checked + " of " + files.size() + " corpus messages");
        assertThat(checked).isGreaterThan(0);
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
