package org.ilinks.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: each folder under {@code config-cases/} is a whole configuration (config/ and routes/) with the exact
 * {@code file:line: message} lines {@code validate} must print for it in {@code expected.txt} (empty = valid).
 * Paths in the output are shown relative to the case folder.
 */
class ConfigCasesTest {

    @TempDir
    Path work;

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> dirs = Files.list(casesDir())) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validatePrintsExactlyTheExpectedProblems(String name) throws Exception {
        Path caseDir = copyCase(name);
        Settings settings = Settings.load(caseDir.resolve("config"), caseDir.resolve("routes"), Map.of());

        List<String> actual = ConfigValidator.validate(settings, KnownBeans.NAMES).stream()
                .map(p -> p.toString().replace(caseDir + "/", ""))
                .toList();
        // Kept for whoever adds a case: the actual output to compare with (or copy into) expected.txt.
        Path actualDir = Path.of(System.getProperty("ilinks.project.dir", "."), "target", "config-cases-actual");
        Files.createDirectories(actualDir);
        Files.write(actualDir.resolve(name + ".txt"), actual, StandardCharsets.UTF_8);

        List<String> expected = Files.readAllLines(caseDir.resolve("expected.txt"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    /** A writable copy, with the folders git cannot keep when empty. */
    private Path copyCase(String name) throws Exception {
        Path source = casesDir().resolve(name);
        Path target = work.resolve(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path from : files.toList()) {
                Path to = target.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        Files.createDirectories(target.resolve("config/services"));
        Files.createDirectories(target.resolve("routes"));
        if (!Files.exists(target.resolve("config/application.properties"))) {
            Files.writeString(target.resolve("config/application.properties"), "# defaults only\n");
        }
        return target;
    }

    static Path casesDir() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(ConfigCasesTest.class.getClassLoader().getResource("config-cases"),
                "config-cases test resources missing").toURI());
    }
}
