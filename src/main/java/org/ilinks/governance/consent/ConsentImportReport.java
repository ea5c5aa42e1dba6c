package org.ilinks.governance.consent;

import java.util.List;

/**
 * What one CSV import did.
 *
 * @param importId the {@code consent_import} row that records it
 * @param problems one line per rejected row, {@code line N: what is wrong}; never a value from the file
 */
public record ConsentImportReport(long importId, int imported, int rejected, List<String> problems) {

    public String summary() {
        return "imported " + imported + ", rejected " + rejected;
    }
}
