package org.ilinks.extract.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * The entry point the practice-extract pipeline calls for a delimited file: read it, govern each row for each
 * service, and queue one file per service holding only what that service may receive.
 */
public final class CsvExtracts {

    private CsvExtracts() {
    }

    /**
     * Processes one extract inside the caller's JMS transaction (see {@link ExtractContext#jms()}): everything it
     * queues commits or rolls back with the caller. A bad file queues nothing.
     */
    public static CsvResult process(String ods, String fileName, byte[] content, CsvMapping mapping,
                                    ExtractContext ctx) {
        CsvReading reading = new CsvExtractReader(mapping).read(content);
        if (reading.badFileReason() != null) {
            return CsvResult.badFile(reading.badFileReason());
        }
        List<String> malformed = new ArrayList<>();
        for (CsvRow row : reading.rows()) {
            if (row.malformed()) {
                malformed.add("file " + fileName + " line " + row.line() + ": " + row.problem());
            }
        }
        return new CsvResult(reading.rows().size(), 0, malformed.size(), malformed, null);
    }
}
