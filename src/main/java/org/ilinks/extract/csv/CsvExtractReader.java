package org.ilinks.extract.csv;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ilinks.hl7.NhsNumber;

/**
 * Reads a delimited extract (comma or pipe, header row first) as its mapping declares it. Quoting is RFC 4180's:
 * a value in double quotes may hold the delimiter, line breaks and doubled quotes. Line ends may be CRLF, LF or CR;
 * a UTF-8 byte-order mark and blank lines are ignored.
 * <p>
 * The whole file is bad (nothing of it may be sent) when its bytes are not text in the declared charset or its
 * header row is not the mapping's columns in order: the reason says which line or which column. A row with more
 * or fewer values than the header is malformed on its own; the others are still read.
 */
public final class CsvExtractReader {

    private final CsvMapping mapping;

    public CsvExtractReader(CsvMapping mapping) {
        this.mapping = mapping;
    }

    public CsvReading read(byte[] content) {
        String text;
        try {
            text = decode(content);
        } catch (Undecodable e) {
            return CsvReading.bad("the file is not readable as " + mapping.charset().name() + " text: line "
                    + e.line + " holds bytes that are not valid " + mapping.charset().name()
                    + " (save the extract as " + mapping.charset().name() + ", or agree another charset)");
        }
        List<Record> records = split(text);
        if (records.isEmpty()) {
            return CsvReading.bad("the file is empty: an extract starts with its header row ("
                    + String.join(String.valueOf(mapping.delimiter()), mapping.columns()) + ")");
        }
        String headerProblem = headerProblem(records.get(0));
        if (headerProblem != null) {
            return CsvReading.bad(headerProblem);
        }
        int width = mapping.columns().size();
        List<CsvRow> rows = new ArrayList<>();
        for (Record r : records.subList(1, records.size())) {
            String problem = r.problem;
            if (problem == null && r.values.size() != width) {
                problem = "has " + r.values.size() + " value" + (r.values.size() == 1 ? "" : "s")
                        + " where the header has " + width;
            }
            rows.add(new CsvRow(r.line, r.values, r.raw.getBytes(mapping.charset()), problem));
        }
        return new CsvReading(rows, null);
    }

    /**
     * Why the first row is not the agreed header, or null. The reason never repeats what the row holds: a file sent
     * without its header has a patient's data there, and the reason goes to the log, the claim and the API.
     */
    private String headerProblem(Record header) {
        List<String> found = header.values;
        List<String> expected = mapping.columns();
        String agreed = " (the first line must be the header: " + String.join(String.valueOf(mapping.delimiter()),
                expected) + ")";
        if (header.problem != null) {
            return "the header row (line " + header.line + ") " + header.problem + agreed;
        }
        int nhs = mapping.indexOf(mapping.nhsNumberColumn());
        if (nhs < found.size() && NhsNumber.normalise(found.get(nhs)) != null) {
            return "the file has no header row: line " + header.line + " holds data" + agreed;
        }
        for (int i = 0; i < Math.min(found.size(), expected.size()); i++) {
            if (!CsvMapping.normalise(found.get(i)).equals(CsvMapping.normalise(expected.get(i)))) {
                return "the header row does not match the agreed layout: column " + (i + 1) + " is not '"
                        + expected.get(i) + "'" + agreed;
            }
        }
        if (found.size() < expected.size()) {
            return "the header row does not match the agreed layout: it has " + found.size() + " columns, "
                    + "column " + (found.size() + 1) + " '" + expected.get(found.size()) + "' is missing" + agreed;
        }
        if (found.size() > expected.size()) {
            return "the header row does not match the agreed layout: it has " + found.size() + " columns where "
                    + expected.size() + " are expected" + agreed;
        }
        return null;
    }

    /** Strict decoding: a byte sequence the charset does not define is an error, reported with its line. */
    private String decode(byte[] content) throws Undecodable {
        int start = 0;
        if (mapping.charset().equals(StandardCharsets.UTF_8) && content.length >= 3 && (content[0] & 0xFF) == 0xEF
                && (content[1] & 0xFF) == 0xBB && (content[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        CharsetDecoder decoder = mapping.charset().newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content, start, content.length - start);
        CharBuffer out = CharBuffer.allocate((int) (content.length * (double) decoder.maxCharsPerByte()) + 16);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new Undecodable(lineAt(content, in.position()));
        }
        result = decoder.flush(out);
        if (result.isError()) {
            throw new Undecodable(lineAt(content, content.length));
        }
        out.flip();
        return out.toString();
    }

    /** The line a byte offset is on, counting line ends as the reader does (CRLF, LF or CR). */
    private static int lineAt(byte[] content, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < content.length; i++) {
            if (content[i] == '\n' || (content[i] == '\r' && (i + 1 >= content.length || content[i + 1] != '\n'))) {
                line++;
            }
        }
        return line;
    }

    private static final class Undecodable extends Exception {
        final int line;

        Undecodable(int line) {
            super(null, null, false, false);
            this.line = line;
        }
    }

    /** One record: its values, the line it starts on, its text, and a quoting problem if it has one. */
    private record Record(int line, List<String> values, String raw, String problem) {
    }

    private List<Record> split(String text) {
        char delimiter = mapping.delimiter();
        List<Record> records = new ArrayList<>();
        List<String> values = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        int recordStart = 0;
        boolean quoted = false;
        boolean wasQuoted = false;
        String problem = null;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        value.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    if (c == '\n' || (c == '\r' && !(i + 1 < n && text.charAt(i + 1) == '\n'))) {
                        line++;
                    }
                    value.append(c);
                }
                i++;
                continue;
            }
            if (c == '"' && value.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == '"') {
                if (problem == null) {
                    problem = "has a quote inside an unquoted value (quote the whole value and double the quote)";
                }
                value.append(c);
            } else if (c == delimiter) {
                values.add(value.toString());
                value.setLength(0);
                wasQuoted = false;
            } else if (c == '\r' || c == '\n') {
                values.add(value.toString());
                addRecord(records, recordLine, values, text.substring(recordStart, i), problem);
                value.setLength(0);
                values = new ArrayList<>();
                wasQuoted = false;
                problem = null;
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                line++;
                recordLine = line;
                recordStart = i + 1;
            } else if (wasQuoted) {
                if (problem == null) {
                    problem = "has text after a closing quote";
                }
                value.append(c);
            } else {
                value.append(c);
            }
            i++;
        }
        if (quoted) {
            problem = "has a quote that is never closed";
        }
        if (recordStart < n) {
            values.add(value.toString());
            addRecord(records, recordLine, values, text.substring(recordStart), problem);
        }
        return records;
    }

    private static void addRecord(List<Record> records, int line, List<String> values, String raw, String problem) {
        boolean blank = values.size() == 1 && values.get(0).isBlank() && problem == null;
        if (!blank) {
            records.add(new Record(line, List.copyOf(values), raw, problem));
        }
    }
}
