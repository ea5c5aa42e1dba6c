package org.ilinks.hl7;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether an inbound HL7 v2 payload is accepted, and extracts what routing and the ACK
 * need: the MSH facts, the charset, and a patient key.
 *
 * <p>It runs for every received message, so it reads MSH and the first PID straight from the
 * bytes instead of building a HAPI model. It is immutable and thread-safe, and
 * {@link #inspect(byte[])} never throws: any input, however broken, yields an {@link Inspection}.
 *
 * <p>Decisions taken after reading the public corpus ({@code /work/shared/hl7-corpus}):
 * <ul>
 *   <li>MSH-2 must have 4 characters. No corpus file uses the 3-character form {@code ^~\}, so
 *       it is rejected (102) rather than guessed at.</li>
 *   <li>A 5th MSH-2 character (the v2.7 truncation character) is accepted for every version:
 *       the US public-health ELR 2.5.1 feeds in the corpus send {@code ^~\&#}.</li>
 *   <li>Messages pasted from Java source ({@code ^~\\&}, two backslashes) are rejected: the
 *       characters are not distinct, and such payloads also carry literal {@code \r} text.</li>
 *   <li>The NHS number is the PID-3 repetition whose assigning authority is {@code NHS} or
 *       {@code NHSNBR} (or the NHS number OID) with identifier type {@code NH}, {@code HN},
 *       {@code NHSNMBR} or none: UCLH feeds send {@code NHS^HN} and {@code NHS^NH}, Simulated
 *       Hospital sends {@code NHSNBR^NHSNMBR}.</li>
 *   <li>PID-19 is used as a second source of the NHS number, only when it is a Modulus 11 valid
 *       10-digit number: UCLH imaging and pathology feeds put the NHS number there, and a US SSN
 *       (9 digits) can never pass. PID-2 is ignored; no UK feed in the corpus fills it.</li>
 *   <li>A UTF-8 byte order mark makes the charset UTF-8 when MSH-18 is empty or unknown.</li>
 *   <li>Segment IDs other than MSH and PID are not checked (e.g. {@code PIDX}); that is left to
 *       whatever parses the full message.</li>
 * </ul>
 */
public final class Hl7Inspector {

    /** The versions an engine accepts unless configured otherwise: every published 2.x. */
    public static final Set<String> DEFAULT_ACCEPTED_VERSIONS = Set.of(
            "2.1", "2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2");

    private static final int QUOTE_LIMIT = 20;
    private static final int NONE = -1;
    private static final String NHS_NUMBER_OID = "2.16.840.1.113883.2.1.4.1";
    private static final Set<String> NHS_AUTHORITIES = Set.of("NHS", "NHSNBR");
    private static final Set<String> NHS_IDENTIFIER_TYPES = Set.of("", "NH", "HN", "NHSNMBR");

    /** Table 0211 "8859/n" names mapped once, so a message never triggers a charset lookup. */
    private static final Map<String, Charset> ISO_8859_PARTS = iso8859Parts();

    private final Set<String> acceptedVersions;
    private final Charset defaultCharset;
    private final String acceptedVersionsText;

    /**
     * @param acceptedVersions MSH-12 values to accept, e.g. {@link #DEFAULT_ACCEPTED_VERSIONS}
     * @param defaultCharset charset for messages whose MSH-18 is empty or unknown
     */
    public Hl7Inspector(Set<String> acceptedVersions, Charset defaultCharset) {
        Objects.requireNonNull(acceptedVersions, "acceptedVersions");
        this.defaultCharset = Objects.requireNonNull(defaultCharset, "defaultCharset");
        TreeSet<String> sorted = new TreeSet<>(MessageHeader::compareVersions);
        List<String> trimmed = new ArrayList<>();
        for (String version : acceptedVersions) {
            if (version != null && !version.isBlank()) {
                trimmed.add(version.trim());
            }
        }
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("at least one accepted HL7 version is needed, e.g. 2.4");
        }
        sorted.addAll(trimmed);
        this.acceptedVersions = Set.copyOf(trimmed);
        this.acceptedVersionsText = sorted.size() <= 4
                ? String.join(", ", sorted)
                : sorted.first() + " ... " + sorted.last();
    }

    /**
     * Inspects one received payload.
     *
     * @param raw the payload as framed: may start with a UTF-8 BOM or blank lines, segments may
     *     end in CR, LF or CRLF, the last one may have no terminator
     * @return the decision, never null; this method never throws
     */
    public Inspection inspect(byte[] raw) {
        try {
            return inspectOrThrow(raw);
        } catch (RuntimeException e) {
            // A safety net only: the reader is written not to throw, but a sender must still get an ACK.
            return Inspection.reject(MessageHeader.empty(), defaultCharset, Rejection.of(
                    Rejection.APPLICATION_INTERNAL_ERROR, "", 0, 0,
                    "the message could not be inspected because of an internal error"));
        }
    }

    private Inspection inspectOrThrow(byte[] raw) {
        if (raw == null || raw.length == 0) {
            return notHl7("the payload is empty");
        }
        boolean bom = raw.length >= 3 && raw[0] == (byte) 0xEF && raw[1] == (byte) 0xBB && raw[2] == (byte) 0xBF;
        int start = bom ? 3 : 0;
        while (start < raw.length && isBlank(raw[start])) {
            start++;
        }
        if (start == raw.length) {
            return notHl7("the payload is blank");
        }
        if (!(raw.length - start >= 3 && raw[start] == 'M' && raw[start + 1] == 'S' && raw[start + 2] == 'H')) {
            return noMsh(raw, start);
        }
        int end = segmentEnd(raw, start);
        if (end - start < 4) {
            return reject(MessageHeader.empty(), Rejection.of(Rejection.REQUIRED_FIELD_MISSING, "MSH", 1, 1,
                    "MSH-1 (field separator) is missing"));
        }
        byte separatorByte = raw[start + 3];
        if (!isDelimiter(separatorByte)) {
            return reject(MessageHeader.empty(), Rejection.of(Rejection.DATA_TYPE_ERROR, "MSH", 1, 1,
                    "MSH-1 field separator " + describe(separatorByte)
                            + " is not allowed: it must be a printable, non-alphanumeric ASCII character"));
        }
        char fieldSeparator = (char) separatorByte;
        String msh = new String(raw, start, end - start, StandardCharsets.ISO_8859_1);
        String[] parts = split(msh, fieldSeparator);
        String encoding = parts.length > 1 ? parts[1] : "";
        Rejection encodingProblem = checkEncodingCharacters(fieldSeparator, encoding);
        Delimiters delimiters = encodingProblem == null
                ? Delimiters.of(fieldSeparator, encoding)
                : Delimiters.bestEffort(fieldSeparator, encoding);

        String charsetField = cut(mshField(parts, 18), delimiters.repetition);
        Charset charset = charsetFor(charsetField, bom);
        if (!charset.equals(StandardCharsets.ISO_8859_1) && !isAscii(raw, start, end)) {
            parts = split(new String(raw, start, end - start, charset), fieldSeparator);
        }
        MessageHeader header = readHeader(parts, delimiters, encoding, charsetField);
        Rejection rejection = encodingProblem != null ? encodingProblem : checkHeader(header);
        if (rejection != null) {
            return Inspection.reject(header, charset, rejection);
        }
        return findPatientKey(raw, end, separatorByte, delimiters, charset, header);
    }

    private Inspection notHl7(String detail) {
        return reject(MessageHeader.empty(), Rejection.of(Rejection.SEGMENT_SEQUENCE_ERROR, "", 0, 0,
                "not an HL7 v2 message: " + detail));
    }

    private Inspection noMsh(byte[] raw, int start) {
        if (!looksLikeSegment(raw, start)) {
            return notHl7("it does not start with an MSH segment");
        }
        String segmentId = new String(raw, start, 3, StandardCharsets.US_ASCII);
        String reason = segmentId.equals("FHS") || segmentId.equals("BHS")
                ? "message does not start with an MSH segment: it is a batch starting with " + segmentId
                        + "; send single messages"
                : "message does not start with an MSH segment (it starts with " + segmentId + ")";
        return reject(MessageHeader.empty(), Rejection.of(Rejection.SEGMENT_SEQUENCE_ERROR, "MSH", 1, 0, reason));
    }

    private Inspection reject(MessageHeader header, Rejection rejection) {
        return Inspection.reject(header, defaultCharset, rejection);
    }

    /**
     * @return null when MSH-2 is usable with this field separator, else why not
     */
    static Rejection checkEncodingCharacters(char fieldSeparator, String encoding) {
        if (encoding.isEmpty()) {
            return Rejection.of(Rejection.REQUIRED_FIELD_MISSING, "MSH", 1, 2,
                    "MSH-2 (encoding characters) is empty");
        }
        if (encoding.length() < 4) {
            return Rejection.of(Rejection.DATA_TYPE_ERROR, "MSH", 1, 2,
                    "MSH-2 encoding characters '" + quote(encoding) + "' are incomplete: expected 4 characters");
        }
        if (encoding.length() > 5) {
            return Rejection.of(Rejection.DATA_TYPE_ERROR, "MSH", 1, 2,
                    "MSH-2 encoding characters '" + quote(encoding)
                            + "' are too long: expected 4 characters, or 5 with a truncation character");
        }
        for (int i = 0; i < encoding.length(); i++) {
            char c = encoding.charAt(i);
            if (c > 0x7F || !isDelimiter((byte) c)) {
                return Rejection.of(Rejection.DATA_TYPE_ERROR, "MSH", 1, 2,
                        "MSH-2 encoding characters '" + quote(encoding)
                                + "' are invalid: each must be a printable, non-alphanumeric ASCII character");
            }
            if (c == fieldSeparator || encoding.indexOf(c) != i) {
                return Rejection.of(Rejection.DATA_TYPE_ERROR, "MSH", 1, 2,
                        "MSH-2 encoding characters '" + quote(encoding) + "' are invalid: '" + c
                                + "' is used twice among MSH-1 and MSH-2");
            }
        }
        return null;
    }

    /**
     * @return true when an ACK may reuse these MSH-1/MSH-2 values
     */
    static boolean delimitersAreValid(String fieldSeparator, String encoding) {
        return fieldSeparator != null && encoding != null && fieldSeparator.length() == 1
                && fieldSeparator.charAt(0) <= 0x7F && isDelimiter((byte) fieldSeparator.charAt(0))
                && checkEncodingCharacters(fieldSeparator.charAt(0), encoding) == null;
    }

    private Rejection checkHeader(MessageHeader header) {
        if (header.messageType().isBlank()) {
            String reason = header.triggerEvent().isBlank()
                    ? "MSH-9 (message type) is empty"
                    : "MSH-9.1 (message code) is empty";
            return Rejection.of(Rejection.REQUIRED_FIELD_MISSING, "MSH", 1, 9, reason);
        }
        if (header.triggerEvent().isBlank() && !header.messageType().equals("ACK")) {
            return Rejection.of(Rejection.REQUIRED_FIELD_MISSING, "MSH", 1, 9,
                    "MSH-9.2 (trigger event) is empty for message type '" + quote(header.messageType())
                            + "'; only ACK may omit it");
        }
        if (header.controlId().isBlank()) {
            return Rejection.of(Rejection.REQUIRED_FIELD_MISSING, "MSH", 1, 10,
                    "MSH-10 (message control ID) is empty");
        }
        if (header.version().isBlank()) {
            return Rejection.of(Rejection.REQUIRED_FIELD_MISSING, "MSH", 1, 12,
                    "MSH-12 (version ID) is empty");
        }
        if (!acceptedVersions.contains(header.version().trim())) {
            return Rejection.of(Rejection.UNSUPPORTED_VERSION_ID, "MSH", 1, 12,
                    "HL7 version " + quote(header.version().trim()) + " is not accepted (accepted: "
                            + acceptedVersionsText + ")");
        }
        return null;
    }

    private static MessageHeader readHeader(String[] parts, Delimiters d, String encoding, String charsetField) {
        String messageType = mshField(parts, 9);
        return new MessageHeader(
                String.valueOf((char) d.field),
                encoding.length() > QUOTE_LIMIT ? encoding.substring(0, QUOTE_LIMIT) : encoding,
                component(mshField(parts, 3), 1, d),
                component(mshField(parts, 4), 1, d),
                component(mshField(parts, 5), 1, d),
                component(mshField(parts, 6), 1, d),
                component(messageType, 1, d).trim(),
                component(messageType, 2, d).trim(),
                component(messageType, 3, d).trim(),
                component(mshField(parts, 10), 1, d),
                component(mshField(parts, 11), 1, d).trim(),
                component(mshField(parts, 12), 1, d).trim(),
                charsetField);
    }

    /** MSH-1 is the separator itself, so MSH-n is the (n-1)th piece after splitting on it. */
    private static String mshField(String[] parts, int number) {
        return number - 1 < parts.length ? parts[number - 1] : "";
    }

    private Charset charsetFor(String charsetField, boolean bom) {
        Charset fallback = bom ? StandardCharsets.UTF_8 : defaultCharset;
        String name = charsetField.trim().toUpperCase(Locale.ROOT);
        switch (name) {
            case "":
                return fallback;
            case "ASCII":
                return StandardCharsets.US_ASCII;
            case "8859/1":
                return StandardCharsets.ISO_8859_1;
            case "UNICODE UTF-8":
            case "UTF-8":
            // Table 0211 "UNICODE" formally means UCS-2, but MLLP framing cannot carry 16-bit text
            // safely, so senders using it in practice mean UTF-8.
            case "UNICODE":
                return StandardCharsets.UTF_8;
            default:
                return ISO_8859_PARTS.getOrDefault(name, fallback);
        }
    }

    private static Map<String, Charset> iso8859Parts() {
        Map<String, Charset> parts = new HashMap<>();
        for (int part = 1; part <= 16; part++) {
            String javaName = "ISO-8859-" + part;
            if (Charset.isSupported(javaName)) {
                parts.put("8859/" + part, Charset.forName(javaName));
            }
        }
        return Map.copyOf(parts);
    }

    private static Inspection findPatientKey(byte[] raw, int from, byte separator, Delimiters d, Charset charset,
                                             MessageHeader header) {
        int i = from;
        while (i < raw.length) {
            if (raw[i] == '\r' || raw[i] == '\n') {
                i++;
                continue;
            }
            int end = segmentEnd(raw, i);
            if (end - i >= 3 && raw[i] == 'P' && raw[i + 1] == 'I' && raw[i + 2] == 'D'
                    && (end - i == 3 || raw[i + 3] == separator)) {
                return keyFromPid(split(new String(raw, i, end - i, charset), (char) d.field), d, charset, header);
            }
            i = end;
        }
        return Inspection.accept(header, charset, null, false);
    }

    private static Inspection keyFromPid(String[] pid, Delimiters d, Charset charset, MessageHeader header) {
        String firstQualified = null;
        for (String repetition : split(pid.length > 3 ? pid[3] : "", d.repetition)) {
            String[] components = split(repetition, d.component);
            String id = unescape(cut(components[0], d.subcomponent), d).trim();
            if (id.isEmpty()) {
                continue;
            }
            String[] authority = split(components.length > 3 ? components[3] : "", d.subcomponent);
            String namespace = unescape(authority[0], d).trim();
            String universalId = authority.length > 1 ? unescape(authority[1], d).trim() : "";
            String type = components.length > 4 ? unescape(cut(components[4], d.subcomponent), d).trim() : "";
            boolean nhsAuthority = NHS_AUTHORITIES.contains(namespace.toUpperCase(Locale.ROOT))
                    || universalId.equals(NHS_NUMBER_OID);
            if (nhsAuthority && NHS_IDENTIFIER_TYPES.contains(type.toUpperCase(Locale.ROOT))
                    && NhsNumber.isValid(id)) {
                return Inspection.accept(header, charset, NhsNumber.normalise(id), true);
            }
            if (firstQualified == null) {
                String qualifier = namespace.isEmpty() ? universalId : namespace;
                firstQualified = qualifier.isEmpty() ? id : qualifier + ":" + id;
            }
        }
        String pid19 = pid.length > 19 ? unescape(cut(cut(pid[19], d.repetition), d.component), d).trim() : "";
        if (NhsNumber.isValid(pid19)) {
            return Inspection.accept(header, charset, NhsNumber.normalise(pid19), true);
        }
        return Inspection.accept(header, charset, firstQualified, false);
    }

    private static String component(String field, int number, Delimiters d) {
        String[] components = split(cut(field, d.repetition), d.component);
        if (number > components.length) {
            return "";
        }
        return unescape(cut(components[number - 1], d.subcomponent), d);
    }

    /** @return the text before the first {@code separator}, or all of it */
    private static String cut(String value, int separator) {
        if (separator == NONE) {
            return value;
        }
        int at = value.indexOf(separator);
        return at < 0 ? value : value.substring(0, at);
    }

    private static String[] split(String value, int separator) {
        if (separator == NONE || value.indexOf(separator) < 0) {
            return new String[] {value};
        }
        List<String> pieces = new ArrayList<>();
        int from = 0;
        for (int at = value.indexOf(separator); at >= 0; at = value.indexOf(separator, from)) {
            pieces.add(value.substring(from, at));
            from = at + 1;
        }
        pieces.add(value.substring(from));
        return pieces.toArray(new String[0]);
    }

    /** Decodes the delimiter escapes with this message's own delimiters; other escapes stay as sent. */
    private static String unescape(String value, Delimiters d) {
        if (d.escape == NONE || value.indexOf(d.escape) < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            int close = c == d.escape ? value.indexOf(d.escape, i + 1) : -1;
            if (close < 0) {
                out.append(c);
                i++;
                continue;
            }
            String code = value.substring(i + 1, close);
            int replacement = switch (code) {
                case "F" -> d.field;
                case "S" -> d.component;
                case "T" -> d.subcomponent;
                case "R" -> d.repetition;
                case "E" -> d.escape;
                case "P" -> d.truncation;
                default -> NONE;
            };
            if (replacement == NONE) {
                out.append(value, i, close + 1);
            } else {
                out.append((char) replacement);
            }
            i = close + 1;
        }
        return out.toString();
    }

    private static int segmentEnd(byte[] raw, int from) {
        for (int i = from; i < raw.length; i++) {
            if (raw[i] == '\r' || raw[i] == '\n') {
                return i;
            }
        }
        return raw.length;
    }

    private static boolean looksLikeSegment(byte[] raw, int start) {
        if (raw.length - start < 4) {
            return false;
        }
        for (int i = start; i < start + 3; i++) {
            byte b = raw[i];
            if (!(b >= 'A' && b <= 'Z') && !(b >= '0' && b <= '9' && i > start)) {
                return false;
            }
        }
        return isDelimiter(raw[start + 3]);
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0x0B || b == 0x0C;
    }

    /** Printable ASCII, not a letter, digit or space: what HL7 allows as a delimiter. */
    private static boolean isDelimiter(byte b) {
        return b > 0x20 && b < 0x7F && !Character.isLetterOrDigit((char) b);
    }

    private static boolean isAscii(byte[] raw, int from, int to) {
        for (int i = from; i < to; i++) {
            if (raw[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static String describe(byte b) {
        if (b > 0x20 && b < 0x7F) {
            return "'" + (char) b + "'";
        }
        return String.format("(byte 0x%02X)", b & 0xFF);
    }

    /** Cuts a quoted MSH value to 20 characters and hides control characters. */
    private static String quote(String value) {
        String cut = value.length() > QUOTE_LIMIT ? value.substring(0, QUOTE_LIMIT) + "..." : value;
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return out.toString();
    }

    /** The delimiters of one message; {@code NONE} marks a delimiter that cannot be trusted. */
    private record Delimiters(int field, int component, int repetition, int escape, int subcomponent, int truncation) {

        static Delimiters of(char field, String encoding) {
            return new Delimiters(field, encoding.charAt(0), encoding.charAt(1), encoding.charAt(2),
                    encoding.charAt(3), encoding.length() > 4 ? encoding.charAt(4) : NONE);
        }

        /**
         * For a message rejected for its MSH-2: keeps the component and repetition separators
         * when they look sane, so the ACK can still name the sender and echo MSH-10.
         */
        static Delimiters bestEffort(char field, String encoding) {
            int component = encoding.length() > 0 && usable(encoding.charAt(0), field) ? encoding.charAt(0) : NONE;
            int repetition = encoding.length() > 1 && usable(encoding.charAt(1), field)
                    && encoding.charAt(1) != component ? encoding.charAt(1) : NONE;
            return new Delimiters(field, component, repetition, NONE, NONE, NONE);
        }

        private static boolean usable(char c, char field) {
            return c <= 0x7F && isDelimiter((byte) c) && c != field;
        }
    }
}
