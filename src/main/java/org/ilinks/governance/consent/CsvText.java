package org.ilinks.governance.consent;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text (RFC 4180: comma separated, fields optionally in double quotes, {@code ""} for a quote inside one,
 * line breaks allowed inside quotes; CR, LF or CRLF line ends; a leading UTF-8 BOM ignored) into rows, each with the
 * line it starts on so that problems can be reported by line. Blank lines are skipped.
 */
final class CsvText {

    /** One row of fields and the 1-based line it starts on. */
    record Row(int line, List<String> fields) {
    }

    /** The rows, and the line of a quote left open at the end of the text (0 when none). */
    record Parsed(List<Row> rows, int unclosedQuoteLine) {
    }

    private CsvText() {
    }

    static Parsed parse(String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean inQuotes = false;
        boolean rowHasContent = false;
        int line = 1;
        int rowLine = 1;
        int quoteLine = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (inQuotes) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        inQuotes = false;
                    }
                } else {
                    if (ch == '\n' || (ch == '\r' && !(i + 1 < text.length() && text.charAt(i + 1) == '\n'))) {
                        line++;
                    }
                    field.append(ch);
                }
                continue;
            }
            switch (ch) {
                case '"' -> {
                    inQuotes = true;
                    quoteLine = line;
                    rowHasContent = true;
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    rowHasContent = true;
                }
                case '\r', '\n' -> {
                    if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    endRow(rows, fields, field, rowHasContent, rowLine);
                    rowHasContent = false;
                    line++;
                    rowLine = line;
                }
                default -> {
                    field.append(ch);
                    if (!Character.isWhitespace(ch)) {
                        rowHasContent = true;
                    }
                }
            }
        }
        if (inQuotes) {
            return new Parsed(rows, quoteLine);
        }
        endRow(rows, fields, field, rowHasContent, rowLine);
        return new Parsed(rows, 0);
    }

    private static void endRow(List<Row> rows, List<String> fields, StringBuilder field, boolean hasContent, int line) {
        if (hasContent) {
            fields.add(field.toString());
            rows.add(new Row(line, List.copyOf(fields)));
        }
        fields.clear();
        field.setLength(0);
    }
}
