package org.ilinks.extract.csv;

import java.util.List;

/**
 * One data row of an extract as read, before any check of its values.
 *
 * @param line     the file line the row starts on (the header is line 1)
 * @param values   the row's values, unquoted, in file order; for a ragged row, as many as it had
 * @param raw      the row exactly as it was in the file (its bytes), for parking a row that cannot be used
 * @param problem  null for a row with one value per header column; otherwise what is wrong with it, in words
 *                 without its content
 */
public record CsvRow(int line, List<String> values, byte[] raw, String problem) {

    public CsvRow {
        values = List.copyOf(values);
    }

    public boolean malformed() {
        return problem != null;
    }
}
