package org.ilinks.extract.csv;

import java.util.List;

/**
 * What became of one delimited extract file.
 *
 * @param records          data rows in the file (the header row not counted)
 * @param sent             rows sent to at least one service
 * @param malformed        rows that could not be read (ragged, bad NHS number format, bad date, no record type):
 *                         each parked on {@code ilinks.intake.parked}; the file is then partial
 * @param malformedReasons one per malformed row: "file &lt;name&gt; line &lt;n&gt;: &lt;rule&gt;" (no content)
 * @param badFileReason    null for a file that was read; otherwise why nothing of it was sent, in words a practice
 *                         manager can act on (then every count is 0 and nothing was put on any queue)
 */
public record CsvResult(int records, int sent, int malformed, List<String> malformedReasons, String badFileReason) {

    public CsvResult {
        malformedReasons = List.copyOf(malformedReasons);
    }

    static CsvResult badFile(String reason) {
        return new CsvResult(0, 0, 0, List.of(), reason);
    }

    public boolean bad() {
        return badFileReason != null;
    }

    public boolean partial() {
        return badFileReason == null && malformed > 0;
    }
}
