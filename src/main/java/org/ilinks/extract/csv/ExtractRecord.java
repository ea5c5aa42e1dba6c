package org.ilinks.extract.csv;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ilinks.governance.NhsNumberState;
import org.ilinks.hl7.NhsNumber;

/**
 * One usable row of an extract, with what governance decides on read out of it.
 *
 * @param nhsNumber the ten digits when the column holds a Modulus 11 valid NHS number, else null
 * @param nhsState  VERIFIED (valid: a practice system's own record), INVALID (fails Modulus 11 or is not ten
 *                  digits) or MISSING (empty)
 * @param dates     column index to the value read as a date, for the mapping's date columns that are not empty
 */
record ExtractRecord(int line, List<String> values, String recordType, String nhsNumber, NhsNumberState nhsState,
                     Map<Integer, LocalDate> dates) {

    /** The row read, or the rule it breaks (in words without its content) when it is malformed. */
    record Checked(ExtractRecord record, String problem) {
    }

    static Checked check(CsvRow row, CsvMapping mapping) {
        if (row.malformed()) {
            return new Checked(null, row.problem());
        }
        List<String> values = row.values();
        String recordType = values.get(mapping.indexOf(mapping.recordTypeColumn())).strip();
        if (recordType.isEmpty()) {
            return new Checked(null, "has no record type (column " + mapping.recordTypeColumn() + " is empty)");
        }
        Map<Integer, LocalDate> dates = new HashMap<>();
        for (String column : mapping.dateColumns().keySet()) {
            int index = mapping.indexOf(column);
            String value = values.get(index).strip();
            if (value.isEmpty()) {
                continue;
            }
            try {
                dates.put(index, LocalDate.parse(value, mapping.dateFormat(column)));
            } catch (DateTimeParseException e) {
                return new Checked(null, "column " + column + " is not a date written "
                        + mapping.dateColumns().get(column));
            }
        }
        String nhs = values.get(mapping.indexOf(mapping.nhsNumberColumn())).strip();
        NhsNumberState state = nhs.isEmpty() ? NhsNumberState.MISSING
                : NhsNumber.isValid(nhs) ? NhsNumberState.VERIFIED : NhsNumberState.INVALID;
        return new Checked(new ExtractRecord(row.line(), values, recordType,
                state == NhsNumberState.VERIFIED ? NhsNumber.normalise(nhs) : null, state, Map.copyOf(dates)), null);
    }

    /** Why the row has no usable NHS number, in words (no patient data); null when it has one. */
    String nhsNumberProblem(String column) {
        return switch (nhsState) {
            case VERIFIED, NOT_VERIFIED -> null;
            case INVALID -> "the NHS number (column " + column + ") fails the Modulus 11 check";
            case MISSING -> "the row has no NHS number (column " + column + " is empty)";
        };
    }
}
