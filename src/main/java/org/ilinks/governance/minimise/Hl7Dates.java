package org.ilinks.governance.minimise;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the date part of HL7 DT/DTM values (YYYY[MM[DD[...]]]), the way dates of birth and MSH-7 are written. */
final class Hl7Dates {

    private static final Pattern DATE = Pattern.compile("^(\\d{4})(\\d{2})?(\\d{2})?.*$");

    private Hl7Dates() {
    }

    /** The full calendar date, or empty when the value has no valid day precision. */
    static Optional<LocalDate> date(String value) {
        Matcher m = DATE.matcher(value.trim());
        if (!m.matches() || m.group(3) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** YYYY, or empty when the value does not start with a plausible year. */
    static Optional<String> year(String value) {
        Matcher m = DATE.matcher(value.trim());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** YYYYMM, or empty when the value has no valid month. */
    static Optional<String> yearMonth(String value) {
        Matcher m = DATE.matcher(value.trim());
        if (!m.matches() || m.group(2) == null) {
            return Optional.empty();
        }
        int month = Integer.parseInt(m.group(2));
        return month >= 1 && month <= 12 ? Optional.of(m.group(1) + m.group(2)) : Optional.empty();
    }
}
