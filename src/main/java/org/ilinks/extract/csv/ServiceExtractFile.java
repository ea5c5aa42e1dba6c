package org.ilinks.extract.csv;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ilinks.governance.minimise.ColumnTransformer;
import org.ilinks.governance.minimise.ExtractColumn;
import org.ilinks.governance.minimise.MinimisationProfile;

/**
 * The file one service receives from one extract: a header of the columns its profile's {@code extractColumns}
 * lists that the extract has (in the profile's order, named as the profile names them), then its allowed rows with
 * each value transformed as the profile says. Always UTF-8, comma-separated, CRLF line ends (RFC 4180), whatever the
 * practice sent.
 */
final class ServiceExtractFile {

    private final List<ExtractColumn> columns = new ArrayList<>();
    private final List<Integer> sourceIndexes = new ArrayList<>();
    private final ColumnTransformer transformer;
    private final StringBuilder text = new StringBuilder();
    private int rows;

    ServiceExtractFile(MinimisationProfile profile, CsvMapping mapping, LocalDate today) {
        this.transformer = new ColumnTransformer(profile, today);
        for (ExtractColumn column : profile.extractColumns()) {
            int index = mapping.indexOf(column.name());
            if (index >= 0) {
                columns.add(column);
                sourceIndexes.add(index);
            }
        }
        line(columns.stream().map(ExtractColumn::name).toList());
    }

    /** Whether the service may see any column of this extract at all. */
    boolean hasColumns() {
        return !columns.isEmpty();
    }

    void add(ExtractRecord row) {
        List<String> values = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            int index = sourceIndexes.get(i);
            values.add(transformer.apply(columns.get(i).transform(), row.values().get(index).strip(),
                    row.dates().get(index)));
        }
        line(values);
        rows++;
    }

    int rows() {
        return rows;
    }

    byte[] bytes() {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Transforms applied, for the audit record: "nhs_number pseudonymise, date_of_birth age-band". */
    String transformsApplied() {
        return String.join(", ", columns.stream().filter(c -> !c.transform().profileName().equals("keep"))
                .map(c -> c.name() + " " + c.transform().profileName()).toList());
    }

    /** The output's name: {@code <ods>-<input name without extension>-<service>-<first 8 of the input's SHA-256>.csv}. */
    static String name(String ods, String inputName, String serviceId, String sha256) {
        String base = inputName;
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        base = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return ods.toUpperCase(Locale.ROOT) + "-" + base + "-" + serviceId + "-" + sha256.substring(0, 8) + ".csv";
    }

    private void line(List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(quoted(values.get(i)));
        }
        text.append("\r\n");
    }

    private static String quoted(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
