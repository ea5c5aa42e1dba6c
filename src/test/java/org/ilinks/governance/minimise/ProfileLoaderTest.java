package org.ilinks.governance.minimise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.ilinks.config.ConfigProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileLoaderTest {

    @TempDir
    Path folder;

    private ProfileLoader loader() {
        return new ProfileLoader(Map.of("ILINKS_TEST_KEY", ProfileFiles.TEST_KEY, "ILINKS_SHORT_KEY", "short")::get);
    }

    private String problems(Path file) {
        ProfileLoader.LoadedProfile loaded = loader().load(file);
        assertThat(loaded.profile()).isEmpty();
        return String.join("\n", loaded.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void theCommentedExampleLoads() {
        MinimisationProfile profile = ProfileFiles.load(ProfileFiles.copyExample(folder));
        assertThat(profile.serviceId()).isEqualTo("example-service");
        assertThat(profile.allowedSegments()).containsExactlyInAnyOrder("EVN", "PID", "PV1", "OBX", "ZPI");
        assertThat(profile.pseudonymiser()).isPresent();
        assertThat(profile.mask()).isEqualTo("XXXX");
    }

    @Test
    void everyMistakeIsReportedWithItsLine() {
        Path file = ProfileFiles.write(folder, "bad.yaml", """
                mask: XXXX
                colour: blue
                pseudonymisation:
                  keyFile: keys/missing.key
                segments:
                  PID:
                    PID-40: keep
                    PID-5.1: scramble
                    PV1-2: keep
                    PID5: keep
                  XYZ: all
                  MSH: all
                  ZAB:
                    ZAB-1: keep
                  pv1: all
                  OBX: some
                """);
        assertThat(problems(file)).isEqualTo(String.join("\n",
                file + ":2: unknown key 'colour' (expected one of: description, mask, ageBands, pseudonymisation, "
                        + "segments, extractColumns)",
                file + ":4: pseudonymisation key file " + folder.toAbsolutePath().resolve("keys/missing.key")
                        + " does not exist",
                file + ":7: PID-40: PID has fields 1 to 39 in HL7 v2.6",
                file + ":8: unknown transform 'scramble' for PID-5.1 (expected one of: keep, remove, mask, "
                        + "outward-code, birth-year, birth-year-month, age-band, pseudonymise)",
                file + ":9: PV1-2 is listed under PID: list it under PV1",
                file + ":10: 'PID5' is not a field path: write PID-3, PID-5.1 or PID-3[type=NH]",
                file + ":11: unknown segment 'XYZ' (not an HL7 v2.6 segment; local segments start with Z)",
                file + ":12: MSH is always kept as it is and cannot be listed",
                file + ":15: segment id 'pv1' must be 3 capital letters or digits, e.g. PID",
                file + ":16: OBX must be 'all' or a mapping of field paths to transforms, not 'some'"));
    }

    @Test
    void aKeyInAnUnsetEnvironmentVariableIsAProblem() {
        Path file = ProfileFiles.write(folder, "svc.yaml", """
                pseudonymisation:
                  keyEnv: ILINKS_NOT_SET
                segments:
                  PID:
                    PID-3.1: pseudonymise
                """);
        assertThat(problems(file)).isEqualTo(
                file + ":2: environment variable ILINKS_NOT_SET (the pseudonymisation key) is not set");
    }

    @Test
    void emptyAndShortKeysAreProblems() {
        ProfileFiles.write(folder, "keys/empty.key", "\n");
        Path empty = ProfileFiles.write(folder, "empty.yaml",
                "pseudonymisation:\n  keyFile: keys/empty.key\nsegments: {}\n");
        Path shortKey = ProfileFiles.write(folder, "short.yaml",
                "pseudonymisation:\n  keyEnv: ILINKS_SHORT_KEY\nsegments: {}\n");
        assertThat(problems(empty)).isEqualTo(empty + ":2: pseudonymisation key file "
                + folder.toAbsolutePath().resolve("keys/empty.key") + " is empty");
        assertThat(problems(shortKey)).isEqualTo(shortKey + ":2: environment variable ILINKS_SHORT_KEY holds a key "
                + "of only 5 bytes: use at least 16 random bytes");
    }

    @Test
    void aKeyFromTheEnvironmentGivesTheSamePseudonymsAsTheSameKeyInAFile() {
        ProfileFiles.write(folder, "keys/k.key", ProfileFiles.TEST_KEY + "\n");
        Path fromFile = ProfileFiles.write(folder, "from-file.yaml", """
                pseudonymisation: {keyFile: keys/k.key}
                segments: {PID: {PID-3.1: pseudonymise}}
                """);
        Path fromEnv = ProfileFiles.write(folder, "from-env.yaml", """
                pseudonymisation: {keyEnv: ILINKS_TEST_KEY}
                segments: {PID: {PID-3.1: pseudonymise}}
                """);
        String a = loader().load(fromFile).profile().orElseThrow().pseudonymiser().orElseThrow().pseudonym("9434765919");
        String b = loader().load(fromEnv).profile().orElseThrow().pseudonymiser().orElseThrow().pseudonym("9434765919");
        assertThat(a).isEqualTo(b).isEqualTo(new Pseudonymiser(
                ProfileFiles.TEST_KEY.getBytes(StandardCharsets.UTF_8), Pseudonymiser.Encoding.HEX, 32)
                .pseudonym("9434765919"));
    }

    @Test
    void pseudonymiseWithoutAKeyAndASecretInTheProfileAreProblems() {
        Path noKey = ProfileFiles.write(folder, "no-key.yaml", """
                segments:
                  PID:
                    PID-5: keep
                    PID-3.1: pseudonymise
                """);
        Path secret = ProfileFiles.write(folder, "secret.yaml", """
                pseudonymisation:
                  key: do-not-do-this-0123456789
                segments: {}
                """);
        assertThat(problems(noKey)).isEqualTo(noKey + ":4: pseudonymise needs a key: add 'pseudonymisation:' "
                + "with keyFile or keyEnv");
        assertThat(problems(secret)).isEqualTo(String.join("\n",
                secret + ":2: the key itself must never be written in a profile: put it in a file named by keyFile "
                        + "or an environment variable named by keyEnv",
                secret + ":2: unknown key 'key' (expected one of: keyFile, keyEnv, encoding, length)",
                secret + ":2: pseudonymisation needs exactly one of keyFile or keyEnv"));
        assertThat(problems(secret)).doesNotContain("do-not-do-this");
    }

    @Test
    void otherValueChecks() {
        Path file = ProfileFiles.write(folder, "svc.yaml", """
                ageBands: [0-17, 20+]
                segments:
                  PID:
                    PID-3: keep
                    PID-3: mask
                    PID-0: keep
                    PID-7:
                """);
        assertThat(problems(file)).isEqualTo(String.join("\n",
                file + ":5: duplicate key 'PID-3' (also on line 4)"));
        Path second = ProfileFiles.write(folder, "svc2.yaml", """
                ageBands: [0-17, 20+]
                segments:
                  PID:
                    PID-0: keep
                    PID-7:
                  EVN:
                """);
        assertThat(problems(second)).isEqualTo(String.join("\n",
                second + ":1: age band '20+' must start at 18 so that the bands follow on from each other without "
                        + "gaps or overlaps",
                second + ":4: PID-0: PID has fields 1 to 39 in HL7 v2.6",
                second + ":5: PID-7 needs a transform (one of: keep, remove, mask, outward-code, birth-year, "
                        + "birth-year-month, age-band, pseudonymise)",
                second + ":6: EVN has no value: write 'all' or list the fields to keep"));
    }

    @Test
    void aFolderLoadsEveryProfileAndCollectsEveryProblem() {
        ProfileFiles.copyExample(folder);
        ProfileFiles.write(folder, "minimal.yaml", "segments: {PV1: {PV1-2: keep}}\n");
        ProfileFiles.write(folder, "broken.yaml", "segments: [PID]\n");
        ProfileFiles.write(folder, "notes.txt", "not a profile\n");
        ProfileLoader.Profiles profiles = loader().loadFolder(folder);
        assertThat(profiles.byService()).containsOnlyKeys("example-service", "minimal");
        assertThat(profiles.problems()).extracting(ConfigProblem::toString).containsExactly(
                folder.resolve("broken.yaml") + ":1: segments must be a mapping of keys and values");
        assertThat(loader().loadFolder(folder.resolve("absent")).problems()).extracting(ConfigProblem::toString)
                .containsExactly(folder.resolve("absent") + ": profiles folder does not exist");
    }
}
