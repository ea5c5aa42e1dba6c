package org.ilinks.governance.consent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a consent CSV file (the format of {@code ilinks consent import}, see {@link ConsentCsvFormat}) into
 * directives held in memory, without a database: for {@code ilinks try}, which must not touch the registry.
 * Rows get ids in file order, as an import would give them, so that between two directives recorded at the same
 * moment the later row wins exactly as it would in the registry.
 */
public final class ConsentCsvFile {

    /** The directives of the good rows, and a {@code line N: what is wrong} for every bad one (never its values). */
    public record Read(List<ConsentDirective> directives, List<String> problems) {
        public Read {
            directives = List.copyOf(directives);
            problems = List.copyOf(problems);
        }
    }

    private ConsentCsvFile() {
    }

    /**
     * @param recordedAt when the directives count as recorded (for {@code try}: just before the messages arrive)
     * @param firstId    the id the first good row gets; the next rows count up from it
     * @throws IOException              when the file cannot be read or is not UTF-8
     * @throws IllegalArgumentException when the file has no usable header row
     */
    public static Read read(Path file, Instant recordedAt, long firstId) throws IOException {
        Document document = open(file);
        CsvText.Parsed parsed = document.parsed();
        ConsentCsvFormat format = document.format();
        List<ConsentDirective> directives = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long id = firstId;
        for (CsvText.Row row : parsed.rows().subList(1, parsed.rows().size())) {
            ConsentCsvFormat.RowResult result = format.read(row.line(), row.fields(), recordedAt, null);
            if (result.ok()) {
                directives.add(result.directive().withId(id++));
            } else {
                problems.add("line " + row.line() + ": " + String.join("; ", result.problems()));
            }
        }
        if (parsed.unclosedQuoteLine() > 0) {
            problems.add("line " + parsed.unclosedQuoteLine()
                    + ": a quoted field is never closed; the rest of the file was not read");
        }
        return new Read(directives, problems);
    }

    /** A consent CSV file read as far as its header: the rows, and the format the header names. */
    record Document(ConsentCsvFormat format, CsvText.Parsed parsed) {
    }

    /**
     * Reads the file and its header row: the one way both {@code consent import} and {@code try --consent} open a
     * consent CSV.
     *
     * @throws IOException              when the file cannot be read or is not UTF-8
     * @throws IllegalArgumentException when the file has no usable header row
     */
    static Document open(Path file) throws IOException {
        CsvText.Parsed parsed = CsvText.parse(utf8(file));
        if (parsed.rows().isEmpty()) {
            throw new IllegalArgumentException(parsed.unclosedQuoteLine() > 0
                    ? "line " + parsed.unclosedQuoteLine() + ": a quoted field is never closed"
                    : "the file is empty: a header row naming the columns is required");
        }
        CsvText.Row header = parsed.rows().get(0);
        try {
            return new Document(ConsentCsvFormat.fromHeader(header.fields()), parsed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + header.line() + ": " + e.getMessage());
        }
    }

    private static String utf8(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8 text (save the CSV as UTF-8)");
        }
    }
}
