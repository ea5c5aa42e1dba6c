package org.ilinks.governance.minimise;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The outward code (district) of a UK postcode: {@code L9 7AL} gives {@code L9}, {@code SW1A 1AA} gives {@code SW1A}. */
final class UkPostcode {

    // The inward code is always digit + two letters; the outward code is area letters, district digit(s) and
    // an optional letter. Written with or without the space, in any case.
    private static final Pattern FULL = Pattern.compile("^([A-Z]{1,2}[0-9][A-Z0-9]?)\\s*([0-9][A-Z]{2})$");
    private static final Pattern OUTWARD_ONLY = Pattern.compile("^[A-Z]{1,2}[0-9][A-Z0-9]?$");

    private UkPostcode() {
    }

    /** The outward code, or empty when the text is not a UK postcode (or outward code) at all. */
    static Optional<String> outwardCode(String text) {
        String normalised = text.trim().toUpperCase(Locale.ROOT);
        Matcher full = FULL.matcher(normalised);
        if (full.matches()) {
            return Optional.of(full.group(1));
        }
        return OUTWARD_ONLY.matcher(normalised).matches() ? Optional.of(normalised) : Optional.empty();
    }
}
