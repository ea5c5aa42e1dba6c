package org.ilinks.governance.minimise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ilinks.config.ConfigProblem;
import org.ilinks.hl7.Delimiters;
import org.ilinks.hl7.Hl7Context;
import org.ilinks.hl7.Hl7FileReader;
import org.ilinks.hl7.Splitter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profiles shipped in config/profiles, run over the shipped samples and the public corpus: whatever comes in,
 * what goes out must stay inside each profile's allow-list, still read as the same message, and keep MSH as sent.
 * The check walks the output against the profile's rules independently of how the minimiser builds it, so a
 * minimiser bug or a profile the minimiser reads differently from its comments shows up here.
 */
class ShippedProfilesTest {

    private static final List<String> SHIPPED = List.of("aintree-ae", "aintree-amu", "community-nursing",
            "diabetes-partnership", "sefton-adult-social-care", "planning-open-data", "gp-registrations-analytics");
    private static final String PLANNING_KEY = "keys/planning-open-data.key";

    @TempDir
    Path temp;

    private Path profiles;

    @BeforeEach
    void copyShippedProfiles() throws IOException {
        profiles = temp.resolve("profiles");
        copyFolder(projectDir().resolve("config/profiles"), profiles);
        // A developer's own key in config/profiles/keys must not make the test pass where a fresh clone would fail.
        try (Stream<Path> keys = Files.list(profiles.resolve("keys"))) {
            for (Path key : keys.filter(k -> k.toString().endsWith(".key")).toList()) {
                Files.delete(key);
            }
        }
    }

    @Test
    void everyShippedProfileLoadsWithoutProblemsOnceTheKeyExists() {
        writePlanningKey();

        ProfileLoader.Profiles loaded = new ProfileLoader(name -> null).loadFolder(profiles);

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.byService()).containsOnlyKeys(SHIPPED);
        assertThat(loaded.byService().get("planning-open-data").pseudonymiser()).isPresent();
        assertThat(loaded.byService().values()).allSatisfy(p -> assertThat(p.allowedSegments())
                .as(p.serviceId() + " lets no local segment through").noneMatch(id -> id.startsWith("Z")));
    }

    @Test
    void withoutTheKeyTheLoaderReportsAProblemNamingTheKeyFile() {
        ProfileLoader.Profiles loaded = new ProfileLoader(name -> null).loadFolder(profiles);

        Path planning = profiles.resolve("planning-open-data.yaml");
        assertThat(loaded.problems()).hasSize(1);
        ConfigProblem problem = loaded.problems().get(0);
        assertThat(problem.toString()).startsWith(planning + ":")
                .contains(profiles.toAbsolutePath().resolve(PLANNING_KEY).toString())
                .endsWith("does not exist");
        assertThat(loaded.byService()).doesNotContainKey("planning-open-data")
                .containsOnlyKeys(SHIPPED.stream().filter(s -> !s.equals("planning-open-data")).toList());
    }

    @Test
    void everySampleMinimisedByEveryProfileStaysInsideItsAllowList() throws IOException {
        Map<String, MinimisationProfile> loaded = loadWithKey();
        List<Path> files;
        try (Stream<Path> listing = Files.list(projectDir().resolve("samples"))) {
            files = listing.filter(f -> f.toString().endsWith(".hl7")).sorted().toList();
        }
        List<String> violations = new ArrayList<>();
        int checked = 0;
        for (Path file : files) {
            for (byte[] message : Hl7FileReader.read(file).messages()) {
                assertThat(parses(new String(message, StandardCharsets.UTF_8)))
                        .as(file.getFileName() + " is a message HAPI reads").isTrue();
                for (MinimisationProfile profile : loaded.values()) {
                    violations.addAll(check(file.getFileName().toString(), message, StandardCharsets.UTF_8, profile));
                    checked++;
                }
            }
        }
        assertThat(violations).isEmpty();
        assertThat(checked).as("samples x profiles checked").isGreaterThanOrEqualTo(13 * SHIPPED.size());
    }

    @Test
    void theCorpusMinimisedByEveryProfileStaysInsideItsAllowList() throws IOException {
        String configured = System.getProperty("ilinks.corpus.dir");
        Path corpus = configured != null ? Path.of(configured)
                : projectDir().resolve("../shared/hl7-corpus").normalize();
        assumeTrue(Files.isDirectory(corpus), "skipped: corpus absent (" + corpus + ")");
        Map<String, MinimisationProfile> loaded = loadWithKey();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus)) {
            files = walk.filter(f -> f.toString().endsWith(".hl7") && Files.isRegularFile(f)).sorted().toList();
        }
        List<String> violations = new ArrayList<>();
        int messages = 0;
        for (Path file : files) {
            for (byte[] message : Hl7FileReader.read(file).messages()) {
                messages++;
                for (MinimisationProfile profile : loaded.values()) {
                    // ISO-8859-1 maps every byte to one character, so any corpus file survives the round trip.
                    violations.addAll(check(corpus.relativize(file).toString(), message, StandardCharsets.ISO_8859_1,
                            profile));
                }
            }
        }
        System.out.println("Shipped profiles checked against " + messages + " corpus messages from " + files.size()
                + " files");
        assertThat(violations).isEmpty();
        assertThat(messages).isGreaterThan(0);
    }

    @Test
    void planningOpenDataReceivesNoNhsNumberNameOrFreeTextFromTheSamples() throws IOException {
        MinimisationProfile planning = loadWithKey().get("planning-open-data");
        Minimiser minimiser = new Minimiser(planning);
        String admission = Files.readString(projectDir().resolve("samples/01-adt-a01-admission-aintree.hl7"));
        String result = minimiser.minimise(admission).text();
        String hiv = Files.readString(projectDir().resolve("samples/09-oru-r01-hiv-viral-load.hl7"));
        String results = minimiser.minimise(hiv).text();

        assertThat(result).doesNotContain("9434765919", "A1234567", "SMITH", "19560312", "ORCHARD", "L9 7AL")
                .containsPattern("\rPID\\|\\|\\|[0-9a-f]{32}\\^\\^\\^\\^NH\\|\\|\\|\\|65\\+\\|F\\|\\|\\|\\^\\^\\^\\^L9\r");
        assertThat(results).doesNotContain("9990000018", "TAYLOR", "\rNTE", "adherence");
    }

    @Test
    void theAllowListCheckFindsSegmentsFieldsRepetitionsAndComponentsANarrowerProfileWouldNotLetThrough()
            throws IOException {
        Map<String, MinimisationProfile> loaded = loadWithKey();
        String admission = Files.readString(projectDir().resolve("samples/01-adt-a01-admission-aintree.hl7"));
        String forAe = new Minimiser(loaded.get("aintree-ae")).minimise(admission).text();

        assertThat(allowListViolations("", forAe, loaded.get("aintree-ae"))).isEmpty();
        assertThat(allowListViolations("", forAe, loaded.get("planning-open-data"))).contains(
                "segment EVN is not allowed", "PID-5 is not allowed", "PID-3.4 is not allowed",
                "PID-3 has a repetition of a type the profile does not allow", "PID-11.1 is not allowed");
        assertThat(allowListViolations("", forAe, loaded.get("diabetes-partnership")))
                .contains("PID-11.1 is not allowed", "PID-13 is not allowed", "segment PV1 is not allowed")
                .doesNotContain("PID-11.5 is not allowed", "PID-5 is not allowed");
    }

    /** Every way {@code output} steps outside {@code profile}, as sentences naming paths, never values. */
    private static List<String> check(String source, byte[] input, Charset charset, MinimisationProfile profile) {
        String where = source + " [" + profile.serviceId() + "] ";
        String inputText = new String(input, charset);
        MinimisedMessage minimised;
        try {
            minimised = new Minimiser(profile).minimise(input, charset);
        } catch (IllegalArgumentException e) {
            return List.of(where + "not minimised: " + e.getMessage());
        }
        List<String> violations = new ArrayList<>();
        byte[] output = minimised.bytes();
        if (!Arrays.equals(firstSegment(input), firstSegment(output))) {
            violations.add(where + "MSH is not byte-identical");
        }
        violations.addAll(allowListViolations(where, minimised.text(), profile));
        if (parses(inputText)) {
            violations.addAll(reparseViolations(where, inputText, minimised.text()));
        }
        return violations;
    }

    private static List<String> allowListViolations(String where, String output, MinimisationProfile profile) {
        List<String> violations = new ArrayList<>();
        String[] segments = output.split("\r");
        Delimiters delimiters = Delimiters.of(segments[0]);
        for (int s = 1; s < segments.length; s++) {
            List<String> fields = Splitter.split(segments[s], delimiters.field());
            String id = fields.get(0);
            SegmentRule rule = profile.segments().get(id);
            if (rule == null) {
                violations.add(where + "segment " + id + " is not allowed");
                continue;
            }
            if (rule.keepWhole()) {
                continue;
            }
            for (int n = 1; n < fields.size(); n++) {
                if (!fields.get(n).isEmpty()) {
                    violations.addAll(fieldViolations(where + id + "-" + n, fields.get(n), rule.fields().get(n),
                            delimiters));
                }
            }
        }
        return violations;
    }

    private static List<String> fieldViolations(String path, String field, FieldPolicy policy,
                                                Delimiters delimiters) {
        if (policy == null) {
            return List.of(path + " is not allowed");
        }
        List<String> violations = new ArrayList<>();
        for (String repetition : Splitter.split(field, delimiters.repetition())) {
            if (repetition.isEmpty()) {
                continue;
            }
            List<String> components = Splitter.split(repetition, delimiters.component());
            String type = components.size() >= 5 ? components.get(4) : "";
            FieldRule typed = policy.byType().get(type);
            FieldRule rule = typed != null ? typed : policy.anyRepetition();
            if (rule == null) {
                violations.add(path + " has a repetition of a type the profile does not allow");
                continue;
            }
            for (int c = 1; c <= components.size(); c++) {
                Transform transform = rule.components().containsKey(c) ? rule.components().get(c) : rule.whole();
                if (!components.get(c - 1).isEmpty() && (transform == null || transform == Transform.REMOVE)) {
                    violations.add(path + "." + c + " is not allowed");
                }
            }
        }
        return violations;
    }

    private static List<String> reparseViolations(String where, String input, String output) {
        String in = crOnly(input);
        try {
            Message before = Hl7Context.parser().parse(in);
            Message after = Hl7Context.parser().parse(output);
            List<String> violations = new ArrayList<>();
            if (!before.getName().equals(after.getName())) {
                violations.add(where + "re-parses as " + after.getName() + ", not " + before.getName());
            }
            if (!Hl7Context.parser().getVersion(in).equals(Hl7Context.parser().getVersion(output))) {
                violations.add(where + "re-parses as another version");
            }
            return violations;
        } catch (HL7Exception | RuntimeException e) {
            return List.of(where + "no longer parses after minimising: " + e.getClass().getSimpleName());
        }
    }

    private static boolean parses(String text) {
        try {
            Hl7Context.parser().parse(crOnly(text));
            return true;
        } catch (HL7Exception | RuntimeException e) {
            return false;
        }
    }

    // HAPI only knows CR segment ends.
    private static String crOnly(String text) {
        return text.replace("\r\n", "\r").replace('\n', '\r');
    }

    private static byte[] firstSegment(byte[] message) {
        int end = 0;
        while (end < message.length && message[end] != '\r' && message[end] != '\n') {
            end++;
        }
        return Arrays.copyOf(message, end);
    }

    private Map<String, MinimisationProfile> loadWithKey() {
        writePlanningKey();
        ProfileLoader.Profiles loaded = new ProfileLoader(name -> null).loadFolder(profiles);
        assertThat(loaded.problems()).isEmpty();
        return loaded.byService();
    }

    private void writePlanningKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        ProfileFiles.write(profiles, PLANNING_KEY, HexFormat.of().formatHex(key) + "\n");
    }

    private static Path projectDir() {
        return Path.of(System.getProperty("ilinks.project.dir", ".")).toAbsolutePath().normalize();
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
