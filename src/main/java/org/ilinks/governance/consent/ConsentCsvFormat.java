package org.ilinks.governance.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The CSV format of {@code ilinks consent import FILE.csv}. UTF-8 (a BOM is allowed), comma separated, fields may be
 * in double quotes (needed when a reason holds a comma). The first row is a header naming the columns, in any
 * order; every column below must be present, and no others. One directive per row; blank lines are skipped.
 *
 * <table>
 * <caption>Columns</caption>
 * <tr><th>column</th><th>required</th><th>meaning</th></tr>
 * <tr><td>nhs_number</td><td>yes</td><td>the patient's NHS number, 10 digits (spaces allowed), Modulus 11 valid</td></tr>
 * <tr><td>scope</td><td>yes</td><td>{@code all} (all sharing), {@code service} (one service) or {@code category}
 *     (a category of services)</td></tr>
 * <tr><td>scope_value</td><td>for service and category</td><td>the service id (as in config/services) or the
 *     category name; empty when scope is {@code all}</td></tr>
 * <tr><td>decision</td><td>yes</td><td>{@code dissent} or {@code consent}</td></tr>
 * <tr><td>effective_from</td><td>yes</td><td>first day in effect, {@code yyyy-MM-dd}</td></tr>
 * <tr><td>effective_to</td><td>no</td><td>last day in effect, {@code yyyy-MM-dd}, inclusive; empty means
 *     open-ended</td></tr>
 * <tr><td>source_type</td><td>yes</td><td>{@code practice}, {@code patient} or {@code clinician}</td></tr>
 * <tr><td>source_id</td><td>for practice and clinician</td><td>the practice's ODS code (e.g. N81013) or the
 *     clinician's identifier</td></tr>
 * <tr><td>recorded_by</td><td>yes</td><td>who recorded the directive at the source</td></tr>
 * <tr><td>reason</td><td>no</td><td>free text</td></tr>
 * </table>
 *
 * <p>Example:
 * <pre>
 * nhs_number,scope,scope_value,decision,effective_from,effective_to,source_type,source_id,recorded_by,reason
 * 9434765919,all,,dissent,2026-03-01,,practice,N81013,Dr A Example,"patient asked, at surgery"
 * 9434765870,service,planning-feed,consent,2026-01-15,2027-01-14,patient,,web form,
 * </pre>
 *
 * <p>A row with problems is rejected with every problem named ("line 7: nhs_number fails the Modulus 11 check");
 * no value from the file is ever repeated in a problem, since a misplaced column could hold an NHS number.
 */
public final class ConsentCsvFormat {

    public static final List<String> COLUMNS = List.of("nhs_number", "scope", "scope_value", "decision",
            "effective_from", "effective_to", "source_type", "source_id", "recorded_by", "reason");

    /** What a column name looks like; a header cell that does not is taken for data. */
    private static final Pattern COLUMN_NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    private final Map<String, Integer> index;

    private ConsentCsvFormat(Map<String, Integer> index) {
        this.index = index;
    }

    /**
     * Reads the header row.
     *
     * @throws IllegalArgumentException naming the missing, unknown or repeated columns
     */
    public static ConsentCsvFormat fromHeader(List<String> header) {
        Map<String, Integer> index = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        List<String> repeated = new ArrayList<>();
        boolean looksLikeData = false;
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(name)) {
                looksLikeData |= !COLUMN_NAME.matcher(name).matches();
                unknown.add(name);
            } else if (index.putIfAbsent(name, i) != null) {
                repeated.add(name);
            }
        }
        List<String> missing = COLUMNS.stream().filter(c -> !index.containsKey(c)).toList();
        List<String> problems = new ArrayList<>();
        if (looksLikeData) {
            // Without a header the first row is data: naming its cells would print patient data.
            throw new IllegalArgumentException("the first row is not a header (it must name the columns: "
                    + String.join(",", COLUMNS) + ")");
        }
        if (!missing.isEmpty()) {
            problems.add("missing column(s) " + String.join(", ", missing));
        }
        if (!unknown.isEmpty()) {
            problems.add("unknown column(s) " + String.join(", ", unknown));
        }
        if (!repeated.isEmpty()) {
            problems.add("repeated column(s) " + String.join(", ", repeated));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems)
                    + " (expected: " + String.join(",", COLUMNS) + ")");
        }
        return new ConsentCsvFormat(index);
    }

    /** A data row read as a directive, or the problems that stop it being one. */
    public record RowResult(int line, ConsentDirective directive, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Reads one data row into a directive recorded at {@code recordedAt}, as part of import {@code importId}. */
    public RowResult read(int line, List<String> fields, Instant recordedAt, Long importId) {
        if (fields.size() != index.size()) {
            return new RowResult(line, null, List.of("has " + fields.size() + " column(s), the header has "
                    + index.size()));
        }
        DirectiveValidator.Result result = DirectiveValidator.validate(column -> field(fields, column), recordedAt,
                importId);
        return new RowResult(line, result.directive(), result.problems());
    }

    private String field(List<String> fields, String column) {
        return fields.get(index.get(column)).strip();
    }
}
