package org.ilinks.governance.minimise;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A field or component address as written in a profile: {@code PID-3}, {@code PID-5.1}, and optionally a
 * repetition chosen by its identifier type, {@code PID-3[type=NH]} or {@code PID-3[type=NH].1}.
 *
 * @param component 0 for the whole field
 * @param type      identifier type code (component 5, as in CX) that selects repetitions, or null for all
 */
public record Hl7Path(String segment, int field, int component, String type) {

    private static final Pattern SYNTAX =
            Pattern.compile("^([A-Z][A-Z0-9]{2})-(\\d{1,3})(?:\\[type=([A-Za-z0-9_]{1,20})])?(?:\\.([1-9]\\d?))?$");

    /** The path, or empty when the text is not written SEG-n, SEG-n.c or SEG-n[type=X].c. */
    public static Optional<Hl7Path> parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int component = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        return Optional.of(new Hl7Path(m.group(1), Integer.parseInt(m.group(2)), component, m.group(3)));
    }

    @Override
    public String toString() {
        return segment + "-" + field + (type == null ? "" : "[type=" + type + "]")
                + (component == 0 ? "" : "." + component);
    }
}
