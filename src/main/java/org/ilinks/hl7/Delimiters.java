package org.ilinks.hl7;

/**
 * The separators a message declares in MSH-1 and MSH-2. Kept text is never unescaped; only text the minimiser
 * generates is escaped, and only identifiers are unescaped before hashing so that the same identifier gives the
 * same pseudonym whatever delimiters its sender chose.
 */
public record Delimiters(char field, char component, char repetition, char escape, char subcomponent) {

    private static final String DEFAULT_ENCODING = "^~\\&";

    /** The delimiters of a message whose first segment is {@code msh} (starting {@code MSH}). */
    public static Delimiters of(String msh) {
        if (msh.length() < 4 || !msh.startsWith("MSH")) {
            throw new IllegalArgumentException("message does not start with an MSH segment");
        }
        char field = msh.charAt(3);
        int end = msh.indexOf(field, 4);
        String encoding = end < 0 ? msh.substring(4) : msh.substring(4, end);
        String chars = encoding + DEFAULT_ENCODING.substring(Math.min(encoding.length(), DEFAULT_ENCODING.length()));
        return new Delimiters(field, chars.charAt(0), chars.charAt(1), chars.charAt(2), chars.charAt(3));
    }

    /** Generated text made safe to place in a component: every delimiter written as its HL7 escape. */
    public String escape(String generated) {
        StringBuilder out = new StringBuilder(generated.length());
        for (char c : generated.toCharArray()) {
            if (c == escape) {
                out.append(escape).append('E').append(escape);
            } else if (c == field) {
                out.append(escape).append('F').append(escape);
            } else if (c == component) {
                out.append(escape).append('S').append(escape);
            } else if (c == repetition) {
                out.append(escape).append('R').append(escape);
            } else if (c == subcomponent) {
                out.append(escape).append('T').append(escape);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Raw text with the five delimiter escapes resolved to this message's delimiter characters (which is what they
     * stand for); other escapes left as written.
     */
    public String unescape(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == escape && i + 2 < raw.length() && raw.charAt(i + 2) == escape) {
                char meaning = switch (raw.charAt(i + 1)) {
                    case 'F' -> field;
                    case 'S' -> component;
                    case 'R' -> repetition;
                    case 'E' -> escape;
                    case 'T' -> subcomponent;
                    default -> 0;
                };
                if (meaning != 0) {
                    out.append(meaning);
                    i += 3;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
