package org.ilinks.extract.csv;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.YamlFile;
import org.ilinks.config.YamlMapping;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * How a practice's delimited extract is laid out, from the {@code format} block of its practice file
 * ({@code config/practices/<ods>.yaml}, {@code type: csv}):
 * <pre>
 * format:
 *   type: csv
 *   delimiter: ","               # or "|"
 *   charset: UTF-8               # optional (UTF-8); windows-1252 and ISO-8859-1 are common from practice systems
 *   columns: [nhs_number, record_type, date_of_birth, postcode, event_date, code]   # the header row, in order
 *   nhsNumberColumn: nhs_number
 *   recordTypeColumn: record_type
 *   dates:                       # optional: date columns and their pattern (java.time, e.g. dd/MM/yyyy)
 *     date_of_birth: yyyy-MM-dd
 *     event_date: dd/MM/yyyy
 * </pre>
 * Column names are compared with the file's header row ignoring case and surrounding spaces.
 *
 * @param columns     the header row expected, in order, as written in the mapping
 * @param dateColumns date column name to the pattern its values are written in (strict: 31/02 is refused)
 */
public record CsvMapping(char delimiter, Charset charset, List<String> columns, String nhsNumberColumn,
                         String recordTypeColumn, Map<String, String> dateColumns) {

    private static final List<String> KEYS = List.of("type", "delimiter", "charset", "columns", "nhsNumberColumn",
            "recordTypeColumn", "dates");

    public CsvMapping {
        columns = List.copyOf(columns);
        dateColumns = Map.copyOf(dateColumns);
    }

    /** Position of a column (case and spaces ignored), or -1. */
    public int indexOf(String column) {
        String wanted = normalise(column);
        for (int i = 0; i < columns.size(); i++) {
            if (normalise(columns.get(i)).equals(wanted)) {
                return i;
            }
        }
        return -1;
    }

    /** The strict formatter for a date column's pattern. */
    public DateTimeFormatter dateFormat(String column) {
        String pattern = dateColumns.get(column);
        return pattern == null ? null : formatter(pattern);
    }

    static String normalise(String column) {
        return column.strip().toLowerCase(Locale.ROOT);
    }

    private static DateTimeFormatter formatter(String pattern) {
        // 'yyyy' is year-of-era: strict resolution needs the era, so read it as 'uuuu' (the proleptic year).
        return DateTimeFormatter.ofPattern(pattern.replace('y', 'u'), Locale.UK).withResolverStyle(ResolverStyle.STRICT);
    }

    /**
     * Reads the {@code format} mapping of a practice file; every problem is added to {@code problems} with its
     * line. Empty when there is any problem.
     */
    public static Optional<CsvMapping> read(YamlMapping format, List<ConfigProblem> problems) {
        int before = problems.size();
        List<ConfigProblem> own = new ArrayList<>();
        YamlMapping m = format.reportingTo(own);
        m.allowOnly(KEYS);
        Optional<Character> delimiter = m.requiredText("delimiter").flatMap(d -> delimiter(m, d));
        Optional<Charset> charset = m.optional("charset").map(n -> m.text("charset", n).flatMap(c -> charset(m, n, c)))
                .orElse(Optional.of(java.nio.charset.StandardCharsets.UTF_8));
        Optional<List<String>> columns = m.required("columns").flatMap(n -> columns(m, n));
        Optional<String> nhs = m.requiredText("nhsNumberColumn").map(String::strip);
        Optional<String> type = m.requiredText("recordTypeColumn").map(String::strip);
        Optional<Map<String, String>> dates = m.optional("dates")
                .map(n -> YamlMapping.of(format.file(), n, "dates", own).flatMap(d -> dates(d, n)))
                .orElse(Optional.of(Map.of()));
        if (columns.isPresent()) {
            nhs.ifPresent(c -> mustBeAColumn(m, "nhsNumberColumn", c, columns.get()));
            type.ifPresent(c -> mustBeAColumn(m, "recordTypeColumn", c, columns.get()));
            dates.ifPresent(d -> d.keySet().forEach(c -> mustBeAColumn(m, "dates", c, columns.get())));
        }
        problems.addAll(own);
        if (problems.size() > before || delimiter.isEmpty() || charset.isEmpty() || columns.isEmpty()
                || nhs.isEmpty() || type.isEmpty() || dates.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CsvMapping(delimiter.get(), charset.get(), columns.get(), nhs.get(), type.get(),
                dates.get()));
    }

    private static Optional<Character> delimiter(YamlMapping m, String text) {
        if (text.equals(",") || text.equals("|")) {
            return Optional.of(text.charAt(0));
        }
        m.report(m.optional("delimiter").orElseThrow(), "delimiter must be \",\" or \"|\", not '" + text + "'");
        return Optional.empty();
    }

    private static Optional<Charset> charset(YamlMapping m, Node node, String name) {
        try {
            return Optional.of(Charset.forName(name.strip()));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            m.report(node, "charset '" + name.strip() + "' is not one Java knows (e.g. UTF-8, windows-1252, "
                    + "ISO-8859-1)");
            return Optional.empty();
        }
    }

    private static Optional<List<String>> columns(YamlMapping m, Node node) {
        if (!(node instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
            m.report(node, "columns must be a list of the header row's column names, in order, e.g. "
                    + "[nhs_number, record_type, event_date]");
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            Optional<String> name = m.text("each column", item).map(String::strip);
            if (name.isEmpty()) {
                return Optional.empty();
            }
            if (names.stream().anyMatch(n -> normalise(n).equals(normalise(name.get())))) {
                m.report(item, "column '" + name.get() + "' is listed twice");
                return Optional.empty();
            }
            names.add(name.get());
        }
        return Optional.of(names);
    }

    private static Optional<Map<String, String>> dates(YamlMapping d, Node node) {
        Map<String, String> patterns = new LinkedHashMap<>();
        boolean ok = true;
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            String column = YamlFile.text(t.getKeyNode()).orElse("").strip();
            Optional<String> pattern = d.text(column, t.getValueNode());
            if (pattern.isEmpty()) {
                ok = false;
                continue;
            }
            try {
                formatter(pattern.get().strip());
                patterns.put(column, pattern.get().strip());
            } catch (IllegalArgumentException e) {
                d.report(t.getValueNode(), "date pattern '" + pattern.get() + "' for column " + column
                        + " is not valid: write it like yyyy-MM-dd or dd/MM/yyyy");
                ok = false;
            }
        }
        return ok ? Optional.of(patterns) : Optional.empty();
    }

    private static void mustBeAColumn(YamlMapping m, String key, String column, List<String> columns) {
        if (columns.stream().noneMatch(c -> normalise(c).equals(normalise(column)))) {
            m.report(m.optional(key).orElseThrow(), key + " names '" + column + "', which is not in columns");
        }
    }
}
