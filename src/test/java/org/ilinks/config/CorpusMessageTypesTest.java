package org.ilinks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An analyst subscribing to the message types real feeds send (the public corpus's MSH-9 values, any version)
 * must not be told they are unknown; only local Z events, which no standard catalogue holds, may be refused.
 */
class CorpusMessageTypesTest {

    private static final Pattern TYPE_AND_TRIGGER = Pattern.compile("^([A-Z0-9]{3})\\^([A-Z0-9]{3})(\\^.*)?$");

    @TempDir
    Path dir;

    @Test
    void everyStandardCorpusMessageTypeIsAcceptedInASubscription() throws Exception {
        Path manifest = corpusDir().resolve("MANIFEST.tsv");
        assumeTrue(Files.isRegularFile(manifest), "HL7 corpus not found at " + corpusDir()
                + " (set -Dilinks.corpus.dir); skipping");
        List<String> types = Files.readAllLines(manifest, StandardCharsets.UTF_8).stream().skip(1)
                .map(line -> line.split("\t", -1))
                .filter(columns -> columns.length > 4)
                .map(columns -> TYPE_AND_TRIGGER.matcher(columns[4].trim()))
                .filter(java.util.regex.Matcher::matches)
                .map(m -> m.group(1) + "^" + m.group(2))
                .distinct().sorted().toList();
        assertThat(types).hasSizeGreaterThan(20);

        Path services = dir.resolve("config/services");
        Files.createDirectories(services);
        Files.writeString(dir.resolve("config/application.properties"), "");
        Files.writeString(services.resolve("everything.yaml"), "id: everything\ndescription: all corpus types\n"
                + "subscribe:\n  messageTypes:\n" + types.stream().map(t -> "    - " + t + "\n").collect(Collectors.joining())
                + "governance: {consent: opt-out}\nendpoint:\n  folder: {path: out}\n");
        Files.createDirectories(dir.resolve("config/profiles"));
        Files.writeString(dir.resolve("config/profiles/everything.yaml"), "segments: {PID: all}\n");
        Settings settings = Settings.load(dir.resolve("config"), dir.resolve("routes"), Map.of());

        List<String> refused = ServiceConfigLoader.check(settings).problems().stream()
                .map(ConfigProblem::message).toList();

        assertThat(refused).allSatisfy(message -> assertThat(message).matches("unknown message type '[A-Z0-9]{3}\\^Z.*'"));
    }

    private static Path corpusDir() {
        String configured = System.getProperty("ilinks.corpus.dir");
        if (configured != null) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("ilinks.project.dir", ".")).resolve("../shared/hl7-corpus").normalize();
    }
}
