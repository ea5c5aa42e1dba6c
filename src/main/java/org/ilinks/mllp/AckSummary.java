package org.ilinks.mllp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an HL7 acknowledgement a sender cares about.
 *
 * <p>Tolerant of CR, LF or CRLF segment ends and of whatever field and encoding characters the MSH
 * declares. The text comes from MSA-3; when that is empty, from ERR-8 (v2.5+), then the text part of
 * ERR-1 (v2.4 and earlier), then the text of ERR-3, with the standard HL7 escapes resolved.
 *
 * @param code      MSA-1, e.g. AA, AE, AR, CA, CE, CR
 * @param controlId MSA-2, the control ID of the message being acknowledged
 * @param text      the human-readable reason, or "" when the ACK gives none
 */
public record AckSummary(String code, String controlId, String text) {

    /** True for AA and CA: the receiver took the message. */
    public boolean accepted() {
        return "AA".equals(code) || "CA".equals(code);
    }

    /** Parses raw ACK bytes, read as UTF-8 when they are valid UTF-8 and as ISO-8859-1 otherwise. */
    public static AckSummary parse(byte[] payload) {
        return parse(decode(payload));
    }

    /**
     * Parses an ACK.
     *
     * @throws IllegalArgumentException when there is no MSA segment with a code; the message quotes no content
     */
    public static AckSummary parse(String payload) {
        Delimiters d = Delimiters.DEFAULT;
        List<String> msa = null;
        List<String> err = null;
        for (String segment : payload.split("\r\n|\r|\n")) {
            String line = stripLeadingNoise(segment);
            if (line.startsWith("MSH") && line.length() > 3) {
                d = Delimiters.fromMsh(line);
            } else if (msa == null && line.startsWith("MSA") && line.length() > 3) {
                msa = split(line, d.field);
            } else if (err == null && line.startsWith("ERR") && line.length() > 3) {
                err = split(line, d.field);
            }
        }
        if (msa == null) {
            throw new IllegalArgumentException("the reply has no MSA segment, so it is not an HL7 ACK");
        }
        String code = field(msa, 1).trim();
        if (code.isEmpty()) {
            throw new IllegalArgumentException("the reply's MSA segment has no acknowledgement code (MSA-1)");
        }
        String text = field(msa, 3);
        if (text.isEmpty() && err != null) {
            text = errText(err, d);
        }
        return new AckSummary(code, d.unescape(field(msa, 2)), d.unescape(text).trim());
    }

    private static String errText(List<String> err, Delimiters d) {
        String userMessage = field(err, 8);
        if (!userMessage.isEmpty()) {
            return userMessage;
        }
        String err1 = field(err, 1);
        if (!err1.isEmpty()) {
            // ERR-1 (ELD): segment^sequence^field^code, where the code is identifier&text.
            List<String> components = split(err1, d.component);
            if (components.size() < 4) {
                return err1.indexOf(d.component) < 0 ? err1 : "";
            }
            List<String> code = split(components.get(3), d.subcomponent);
            return code.size() > 1 && !code.get(1).isEmpty() ? code.get(1) : code.get(0);
        }
        // ERR-3 (CWE): identifier^text.
        List<String> err3 = split(field(err, 3), d.component);
        return err3.size() > 1 ? err3.get(1) : "";
    }

    private static String stripLeadingNoise(String segment) {
        int i = 0;
        while (i < segment.length()) {
            char c = segment.charAt(i);
            if (c != '\uFEFF' && c != 0x0B && c != 0x1C && !Character.isWhitespace(c)) {
                break;
            }
            i++;
        }
        return segment.substring(i);
    }

    private static String field(List<String> fields, int index) {
        return index < fields.size() ? fields.get(index) : "";
    }

    private static List<String> split(String s, char separator) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == separator) {
                parts.add(s.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(s.substring(from));
        return parts;
    }

    private static String decode(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }
    }

    /** The separators an MSH declares. */
    private record Delimiters(char field, char component, char subcomponent, char escape, char repetition) {

        static final Delimiters DEFAULT = new Delimiters('|', '^', '&', '\\', '~');

        static Delimiters fromMsh(String msh) {
            char field = msh.charAt(3);
            int end = msh.indexOf(field, 4);
            String enc = end < 0 ? msh.substring(4) : msh.substring(4, end);
            return new Delimiters(field,
                    enc.length() > 0 ? enc.charAt(0) : '^',
                    enc.length() > 3 ? enc.charAt(3) : '&',
                    enc.length() > 2 ? enc.charAt(2) : '\\',
                    enc.length() > 1 ? enc.charAt(1) : '~');
        }

        String unescape(String s) {
            if (s.indexOf(escape) < 0) {
                return s;
            }
            StringBuilder out = new StringBuilder(s.length());
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                int close = c == escape ? s.indexOf(escape, i + 1) : -1;
                if (close == i + 2) {
                    char replacement = switch (s.charAt(i + 1)) {
                        case 'F' -> field;
                        case 'S' -> component;
                        case 'T' -> subcomponent;
                        case 'R' -> repetition;
                        case 'E' -> escape;
                        default -> 0;
                    };
                    if (replacement != 0) {
                        out.append(replacement);
                        i = close + 1;
                        continue;
                    }
                }
                out.append(c);
                i++;
            }
            return out.toString();
        }
    }
}
