package org.ilinks.governance.restricted;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A coded field searched for restricted codes, written {@code SEG-N} (OBX-3, DG1-3). Every repetition of the field
 * is read; in each, the first coding (components 1 and 3) and the alternate one (components 4 and 6).
 */
public record CodedField(String segment, int field) {

    private static final Pattern SYNTAX = Pattern.compile("^([A-Z][A-Z0-9]{2})-(\\d{1,3})$");

    /** The field, or empty when the text is not written SEG-N. */
    public static Optional<CodedField> parse(String text) {
        Matcher m = SYNTAX.matcher(text.strip());
        return m.matches() ? Optional.of(new CodedField(m.group(1), Integer.parseInt(m.group(2)))) : Optional.empty();
    }

    @Override
    public String toString() {
        return segment + "-" + field;
    }
}
