package org.ilinks.governance.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.ilinks.hl7.NhsNumber;

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

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);

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
        List<String> problems = new ArrayList<>();
        String nhs = field(fields, "nhs_number");
        if (nhs.isEmpty()) {
            problems.add("nhs_number is empty");
        } else if (NhsNumber.normalise(nhs) == null) {
            problems.add("nhs_number is not 10 digits");
        } else if (!NhsNumber.isValid(nhs)) {
            problems.add("nhs_number fails the Modulus 11 check");
        }
        ConsentScope scope = ConsentScope.fromWord(field(fields, "scope"));
        if (scope == null) {
            problems.add("scope must be all, service or category");
        }
        String scopeValue = field(fields, "scope_value");
        if (scope == ConsentScope.ALL && !scopeValue.isEmpty()) {
            problems.add("scope_value must be empty when scope is all");
        } else if (scope != null && scope != ConsentScope.ALL && scopeValue.isEmpty()) {
            problems.add("scope_value is required when scope is " + scope.word());
        }
        ConsentChoice choice = ConsentChoice.fromWord(field(fields, "decision"));
        if (choice == null) {
            problems.add("decision must be dissent or consent");
        }
        LocalDate from = day(fields, "effective_from", true, problems);
        LocalDate to = day(fields, "effective_to", false, problems);
        if (from != null && to != null && to.isBefore(from)) {
            problems.add("effective_to is before effective_from");
        }
        DirectiveSource source = DirectiveSource.fromWord(field(fields, "source_type"));
        String sourceId = field(fields, "source_id");
        if (source == null) {
            problems.add("source_type must be practice, patient or clinician");
        } else if (source != DirectiveSource.PATIENT && sourceId.isEmpty()) {
            problems.add("source_id is required when source_type is " + source.word()
                    + (source == DirectiveSource.PRACTICE ? " (the practice's ODS code)" : ""));
        }
        String recordedBy = field(fields, "recorded_by");
        if (recordedBy.isEmpty()) {
            problems.add("recorded_by is empty");
        }
        tooLong(fields, "scope_value", 200, problems);
        tooLong(fields, "source_id", 100, problems);
        tooLong(fields, "recorded_by", 200, problems);
        tooLong(fields, "reason", 2000, problems);
        if (!problems.isEmpty()) {
            return new RowResult(line, null, List.copyOf(problems));
        }
        ConsentDirective directive = ConsentDirective.builder(nhs, scope, scopeValue, choice, from)
                .effectiveTo(to)
                .source(source, sourceId)
                .recordedBy(recordedBy)
                .reason(field(fields, "reason"))
                .recordedAt(recordedAt)
                .importId(importId)
                .build();
        return new RowResult(line, directive, List.of());
    }

    private String field(List<String> fields, String column) {
        return fields.get(index.get(column)).strip();
    }

    private void tooLong(List<String> fields, String column, int max, List<String> problems) {
        if (field(fields, column).length() > max) {
            problems.add(column + " is longer than " + max + " characters");
        }
    }

    private LocalDate day(List<String> fields, String column, boolean required, List<String> problems) {
        String text = field(fields, column);
        if (text.isEmpty()) {
            if (required) {
                problems.add(column + " is empty");
            }
            return null;
        }
        try {
            return LocalDate.parse(text, DAY);
        } catch (DateTimeParseException e) {
            problems.add(column + " is not a date in the form yyyy-MM-dd");
            return null;
        }
    }
}
