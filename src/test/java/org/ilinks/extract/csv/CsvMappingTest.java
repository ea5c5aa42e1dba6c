package org.ilinks.extract.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.YamlFile;
import org.ilinks.config.YamlMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvMappingTest {

    @TempDir
    Path dir;

    private final List<ConfigProblem> problems = new ArrayList<>();

    /** Reads the format block of a practice file as hL's reader hands it over. */
    Optional<CsvMapping> read(String formatYaml) throws Exception {
        Path file = dir.resolve("N81013.yaml");
        Files.writeString(file, "format:\n" + formatYaml.indent(2), StandardCharsets.UTF_8);
        YamlFile yaml = YamlFile.read(file);
        YamlMapping root = YamlMapping.of(file, yaml.documents().get(0), "a practice file", problems).orElseThrow();
        YamlMapping format = YamlMapping.of(file, root.required("format").orElseThrow(), "format", problems)
                .orElseThrow();
        return CsvMapping.read(format, problems);
    }

    @Test
    void aCompleteMappingIsRead() throws Exception {
        Optional<CsvMapping> mapping = read("""
                type: csv
                delimiter: "|"
                charset: windows-1252
                columns: [NHS_Number, record_type, date_of_birth, event_date]
                nhsNumberColumn: nhs_number
                recordTypeColumn: record_type
                dates:
                  date_of_birth: yyyy-MM-dd
                  event_date: dd/MM/yyyy
                """);

        assertThat(problems).isEmpty();
        CsvMapping m = mapping.orElseThrow();
        assertThat(m.delimiter()).isEqualTo('|');
        assertThat(m.charset().name()).isEqualTo("windows-1252");
        assertThat(m.indexOf("nhs_number")).isZero();
        assertThat(m.indexOf("event_date")).isEqualTo(3);
        assertThat(m.dateFormat("event_date").parse("01/03/2026")).isNotNull();
    }

    @Test
    void defaultsToUtf8() throws Exception {
        CsvMapping m = read("""
                type: csv
                delimiter: ","
                columns: [nhs_number, record_type]
                nhsNumberColumn: nhs_number
                recordTypeColumn: record_type
                """).orElseThrow();
        assertThat(m.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(m.dateColumns()).isEmpty();
    }

    @Test
    void everyProblemIsReportedWithItsLine() throws Exception {
        Optional<CsvMapping> mapping = read("""
                type: csv
                delimiter: ";"
                charset: klingon-8
                columns: [nhs_number, record_type, nhs_number]
                nhsNumberColumn: nhs
                recordTypeColumn: record_type
                dates:
                  event_date: dd/MM/yyyyQQQQQ-nonsense{
                colour: blue
                """);

        assertThat(mapping).isEmpty();
        assertThat(problems).extracting(ConfigProblem::toString).anySatisfy(p -> assertThat(p)
                .endsWith(":3: delimiter must be \",\" or \"|\", not ';'"));
        assertThat(problems).extracting(ConfigProblem::toString)
                .anySatisfy(p -> assertThat(p).contains(":4: charset 'klingon-8' is not one Java knows"))
                .anySatisfy(p -> assertThat(p).contains(":5: column 'nhs_number' is listed twice"))
                .anySatisfy(p -> assertThat(p).contains(":10: unknown key 'colour'"));
    }

    @Test
    void namedColumnsMustBeInTheColumns() throws Exception {
        Optional<CsvMapping> mapping = read("""
                type: csv
                delimiter: ","
                columns: [nhs_number, record_type]
                nhsNumberColumn: nhs_no
                recordTypeColumn: record_type
                dates:
                  event_date: dd/MM/yyyy
                """);
        assertThat(mapping).isEmpty();
        assertThat(problems).extracting(ConfigProblem::message)
                .contains("nhsNumberColumn names 'nhs_no', which is not in columns",
                        "dates names 'event_date', which is not in columns");
    }
}
