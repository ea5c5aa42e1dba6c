package org.ilinks.extract.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvExtractReaderTest {

    private static final List<String> COLUMNS = List.of("nhs_number", "record_type", "surname", "event_date");

    private static CsvMapping mapping(char delimiter, Charset charset) {
        return new CsvMapping(delimiter, charset, COLUMNS, "nhs_number", "record_type",
                Map.of("event_date", "dd/MM/yyyy"));
    }

    private static CsvReading read(String text) {
        return new CsvExtractReader(mapping(',', StandardCharsets.UTF_8)).read(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rowsCarryTheirValuesAndLines() {
        CsvReading r = read("nhs_number,record_type,surname,event_date\r\n"
                + "9434765919,REG,Smith,01/03/2026\r\n"
                + "\r\n"
                + "9434765870,APPT,\"O'Brien, \"\"Jack\"\"\",02/03/2026\r\n");

        assertThat(r.badFileReason()).isNull();
        assertThat(r.rows()).hasSize(2);
        assertThat(r.rows().get(0).line()).isEqualTo(2);
        assertThat(r.rows().get(0).values()).containsExactly("9434765919", "REG", "Smith", "01/03/2026");
        assertThat(r.rows().get(1).line()).isEqualTo(4);
        assertThat(r.rows().get(1).values()).containsExactly("9434765870", "APPT", "O'Brien, \"Jack\"", "02/03/2026");
        assertThat(new String(r.rows().get(1).raw(), StandardCharsets.UTF_8)).startsWith("9434765870,APPT,\"O'");
    }

    @Test
    void aQuotedLineBreakKeepsTheNextRowsLineRight() {
        CsvReading r = read("nhs_number,record_type,surname,event_date\n"
                + "9434765919,REG,\"two\nlines\",01/03/2026\n"
                + "9434765870,REG,Jones,01/03/2026");
        assertThat(r.rows()).extracting(CsvRow::line).containsExactly(2, 4);
        assertThat(r.rows().get(0).values().get(2)).isEqualTo("two\nlines");
        assertThat(r.rows()).noneMatch(CsvRow::malformed);
    }

    @Test
    void pipeDelimitedAndByteOrderMark() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "NHS_NUMBER|Record_Type|surname|event_date\n9434765919|REG|Smith|01/03/2026\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, content, 0, 3);
        System.arraycopy(body, 0, content, 3, body.length);

        CsvReading r = new CsvExtractReader(mapping('|', StandardCharsets.UTF_8)).read(content);
        assertThat(r.badFileReason()).isNull();
        assertThat(r.rows().get(0).values()).containsExactly("9434765919", "REG", "Smith", "01/03/2026");
    }

    @Test
    void raggedRowsAreMalformedAndTheRestAreRead() {
        CsvReading r = read("nhs_number,record_type,surname,event_date\n"
                + "9434765919,REG,Smith\n"
                + "9434765870,REG,Jones,01/03/2026,extra\n"
                + "9434765870,REG,Jones,01/03/2026\n");
        assertThat(r.badFileReason()).isNull();
        assertThat(r.rows()).extracting(CsvRow::problem).containsExactly(
                "has 3 values where the header has 4", "has 5 values where the header has 4", null);
    }

    @Test
    void anUnclosedQuoteIsMalformed() {
        CsvReading r = read("nhs_number,record_type,surname,event_date\n9434765919,REG,\"Smith,01/03/2026\n");
        assertThat(r.rows()).singleElement().satisfies(row -> {
            assertThat(row.line()).isEqualTo(2);
            assertThat(row.problem()).isEqualTo("has a quote that is never closed");
        });
    }

    private static final String AGREED =
            " (the first line must be the header: nhs_number,record_type,surname,event_date)";

    @Test
    void aHeaderWithAWrongColumnSaysWhichWithoutRepeatingIt() {
        CsvReading r = read("nhs_number,record_type,family_name,event_date\n9434765919,REG,Smith,01/03/2026\n");
        assertThat(r.rows()).isEmpty();
        assertThat(r.badFileReason()).isEqualTo("the header row does not match the agreed layout: column 3 is not "
                + "'surname'" + AGREED);
    }

    @Test
    void aFileWithoutItsHeaderIsBadAndTheReasonHoldsNoData() {
        CsvReading r = read("9434765919,REG,Smith,01/03/2026\n9434765870,REG,Jones,01/03/2026\n");
        assertThat(r.badFileReason()).isEqualTo("the file has no header row: line 1 holds data" + AGREED)
                .doesNotContain("9434765919", "Smith");
        assertThat(read("XX,REG,Smith,01/03/2026\n").badFileReason()).doesNotContain("Smith", "XX");
    }

    @Test
    void aHeaderMissingOrAddingAColumnSaysWhich() {
        assertThat(read("nhs_number,record_type,surname\n").badFileReason())
                .isEqualTo("the header row does not match the agreed layout: it has 3 columns, column 4 "
                        + "'event_date' is missing" + AGREED);
        assertThat(read("nhs_number,record_type,surname,event_date,gp\n").badFileReason())
                .isEqualTo("the header row does not match the agreed layout: it has 5 columns where 4 are "
                        + "expected" + AGREED);
    }

    @Test
    void anEmptyFileIsBad() {
        assertThat(read("\n\n").badFileReason()).startsWith("the file is empty");
    }

    @Test
    void bytesNotInTheCharsetAreReportedWithTheirLine() {
        byte[] latin1 = "nhs_number,record_type,surname,event_date\n9434765919,REG,Smith,01/03/2026\n9434765870,REG,Ren\u00e9e,01/03/2026\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        CsvReading r = new CsvExtractReader(mapping(',', StandardCharsets.UTF_8)).read(latin1);
        assertThat(r.badFileReason()).isEqualTo("the file is not readable as UTF-8 text: line 3 holds bytes that are "
                + "not valid UTF-8 (save the extract as UTF-8, or agree another charset)");
        assertThat(r.rows()).isEmpty();

        CsvReading asDeclared = new CsvExtractReader(mapping(',', StandardCharsets.ISO_8859_1)).read(latin1);
        assertThat(asDeclared.badFileReason()).isNull();
        assertThat(asDeclared.rows().get(1).values().get(2)).isEqualTo("Ren\u00e9e");
    }

    @Test
    void theShippedSampleReadsWithTheMappingItsReadmeGives() throws Exception {
        CsvMapping sample = new CsvMapping(',', StandardCharsets.UTF_8, List.of("nhs_number", "record_type", "surname",
                "date_of_birth", "postcode", "event_date", "code"), "nhs_number", "record_type",
                Map.of("date_of_birth", "yyyy-MM-dd", "event_date", "dd/MM/yyyy"));
        byte[] content = java.nio.file.Files.readAllBytes(org.ilinks.support.TestEngine.projectDir()
                .resolve("samples/practices/N81013/practice-extract-N81013.csv"));

        CsvReading r = new CsvExtractReader(sample).read(content);

        assertThat(r.badFileReason()).isNull();
        assertThat(r.rows()).hasSize(5).allSatisfy(row -> {
            ExtractRecord.Checked checked = ExtractRecord.check(row, sample);
            assertThat(checked.problem()).isNull();
            assertThat(checked.record().nhsState()).isEqualTo(org.ilinks.governance.NhsNumberState.VERIFIED);
        });
        assertThat(r.rows().get(1).values().get(2)).isEqualTo("O'Neill, Bridget");
    }
}
