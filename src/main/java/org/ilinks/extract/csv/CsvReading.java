package org.ilinks.extract.csv;

import java.util.List;

/**
 * A file read by {@link CsvExtractReader}: its rows, or why the whole file cannot be used.
 *
 * @param rows          the data rows in file order (empty for a bad file)
 * @param badFileReason null when the file could be read; otherwise why not, in words a practice manager can act on
 */
public record CsvReading(List<CsvRow> rows, String badFileReason) {

    public CsvReading {
        rows = List.copyOf(rows);
    }

    static CsvReading bad(String reason) {
        return new CsvReading(List.of(), reason);
    }
}
