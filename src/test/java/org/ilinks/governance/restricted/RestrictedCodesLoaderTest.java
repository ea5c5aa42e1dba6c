package org.ilinks.governance.restricted;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v26.message.ACK;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ilinks.config.ConfigProblem;
import org.ilinks.hl7.Hl7Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestrictedCodesLoaderTest {

    @TempDir
    Path folder;

    private Path write(String text) throws IOException {
        Path file = folder.resolve(RestrictedCodesLoader.FILE_NAME);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static String problems(RestrictedCodesLoader.Loaded loaded) {
        return String.join("\n", loaded.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void theShippedExampleLoadsWithoutProblems() {
        Path config = Path.of(System.getProperty("ilinks.project.dir", "."), "config");
        RestrictedCodesLoader.Loaded loaded = RestrictedCodesLoader.loadFrom(config);

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.categories()).containsExactly("fertility", "gender-recognition", "hiv", "sexual-health",
                "termination-of-pregnancy");
        for (String category : loaded.categories()) {
            assertThat(loaded.codes().category(category).orElseThrow().codes()).as(category).isNotEmpty();
        }
        assertThat(loaded.codes().fields()).containsExactlyElementsOf(RestrictedCodes.DEFAULT_FIELDS);
        assertThat(loaded.codes().categoriesOf("http://snomed.info/sct", "86406008")).containsExactly("hiv");
        assertThat(loaded.codes().categoriesOf("ln", "43304-5")).containsExactly("sexual-health");
    }

    @Test
    void aMissingFileMeansNoRestrictedCodesAndNoProblem() {
        RestrictedCodesLoader.Loaded loaded = RestrictedCodesLoader.loadFrom(folder);

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.categories()).isEmpty();
        assertThat(loaded.codes().hasNoCodes()).isTrue();
    }

    @Test
    void aFullyCommentedOutFileMeansNoRestrictedCodes() throws IOException {
        RestrictedCodesLoader.Loaded loaded = RestrictedCodesLoader.load(write("# categories:\n#   hiv:\n"));

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.codes().hasNoCodes()).isTrue();
    }

    @Test
    void everyMistakeIsReportedWithItsLine() throws IOException {
        Path file = write("""
                fields: [OBX-3, OBX-3, ZZZ-1, OBX-26, OBX3, PID-3, DG1-3]
                colour: blue
                categories:
                  hiv:
                    description: HIV
                    codes:
                      - { system: SCT, code: "86406008" }
                      - { system: SNOMED CT, code: "86406008" }
                      - { code: "165816005" }
                      - { system: LN }
                      - { system: LN, code: "7917-8", dispaly: typo }
                      - { system: LN, code: "" }
                  Sexual_Health:
                    codes: []
                  fertility:
                    codes: { system: SCT, code: "52637005" }
                  gender-recognition:
                    description: no codes key
                  termination-of-pregnancy: just text
                """);
        RestrictedCodesLoader.Loaded loaded = RestrictedCodesLoader.load(file);

        assertThat(problems(loaded)).isEqualTo(String.join("\n",
                file + ":1: OBX-3 is listed twice (also on line 1)",
                file + ":1: codes cannot be searched in ZZZ: only in fields of OBR, OBX, DG1, PRB, AL1, IAM, PR1",
                file + ":1: OBX-26: OBX has fields 1 to 25 in HL7 v2.6",
                file + ":1: 'OBX3' is not a field path: write SEGMENT-FIELD, e.g. OBX-3",
                file + ":1: codes cannot be searched in PID: only in fields of OBR, OBX, DG1, PRB, AL1, IAM, PR1",
                file + ":2: unknown key 'colour' (expected one of: fields, categories)",
                file + ":8: code SNOMED CT 86406008 is listed twice in category 'hiv' (also on line 7)",
                file + ":9: missing 'system'",
                file + ":10: missing 'code'",
                file + ":11: unknown key 'dispaly' (expected one of: system, code, display)",
                file + ":12: code must not be empty",
                file + ":13: category name 'Sexual_Health' must be lower-case letters, digits and dashes, "
                        + "e.g. sexual-health",
                file + ":16: codes must be a list, e.g. - { system: SCT, code: \"86406008\" }",
                file + ":17: category 'gender-recognition' has no 'codes' list",
                file + ":19: category 'termination-of-pregnancy' must be a mapping of keys and values"));
        // What was read correctly is still there, so a caller that goes on anyway withholds as much as it can.
        assertThat(loaded.codes().fields()).extracting(CodedField::toString).containsExactly("OBX-3", "DG1-3");
        assertThat(loaded.codes().categoriesOf("SCT", "86406008")).containsExactly("hiv");
        assertThat(loaded.codes().category("hiv").orElseThrow().codes()).hasSize(2);
        assertThat(loaded.categories()).containsExactly("fertility", "gender-recognition", "hiv");
    }

    @Test
    void structuralMistakesAreReportedWithTheirLines() throws IOException {
        Path file = write("""
                fields: OBX-3
                categories:
                  - hiv
                """);
        assertThat(problems(RestrictedCodesLoader.load(file))).isEqualTo(String.join("\n",
                file + ":1: fields must be a list, e.g. [OBX-3, OBX-5, DG1-3]",
                file + ":3: categories must be a mapping of category names to their codes"));

        Path noCategories = write("fields: []\n");
        assertThat(problems(RestrictedCodesLoader.load(noCategories))).isEqualTo(String.join("\n",
                noCategories + ":1: fields must list at least one coded field, or be left out for the default list",
                noCategories + ":1: missing 'categories'"));

        Path duplicated = write("""
                categories:
                  hiv:
                    codes: []
                  hiv:
                    codes: []
                """);
        assertThat(problems(RestrictedCodesLoader.load(duplicated)))
                .isEqualTo(duplicated + ":4: duplicate key 'hiv' (also on line 2)");

        Path badYaml = write("categories:\n  hiv: [\n");
        assertThat(RestrictedCodesLoader.load(badYaml).problems()).singleElement()
                .satisfies(p -> assertThat(p.toString()).startsWith(badYaml + ":").contains("YAML syntax error"));
    }

    @Test
    void aCodeInTwoCategoriesBelongsToBoth() throws IOException {
        RestrictedCodesLoader.Loaded loaded = RestrictedCodesLoader.load(write("""
                fields: [OBX-3]
                categories:
                  hiv:
                    codes:
                      - { system: LN, code: "56888-1" }
                  sexual-health:
                    description: STI screens
                    codes:
                      - { system: ln, code: "56888-1", display: "HIV 1+2 Ab + HIV 1 p24 Ag" }
                """));

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.codes().categoriesOf("LN", "56888-1")).containsExactly("hiv", "sexual-health");
        assertThat(loaded.codes().categoriesOf("SCT", "56888-1")).isEmpty();
        assertThat(loaded.codes().category("sexual-health").orElseThrow().description()).isEqualTo("STI screens");
        assertThat(loaded.codes().fields()).containsExactly(new CodedField("OBX", 3));
    }

    @Test
    void fieldCountsAgreeWithTheHapiStructuresTheEngineShips() throws Exception {
        ModelClassFactory factory = Hl7Context.context().getModelClassFactory();
        for (Map.Entry<String, Integer> entry : RestrictedSegments.FIELD_COUNTS.entrySet()) {
            Segment segment = (Segment) Class.forName("ca.uhn.hl7v2.model.v26.segment." + entry.getKey())
                    .getConstructor(Group.class, ModelClassFactory.class)
                    .newInstance(new ACK(factory), factory);
            assertThat(segment.numFields()).as(entry.getKey()).isEqualTo(entry.getValue());
        }
    }
}
