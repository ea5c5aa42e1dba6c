package org.ilinks.governance.minimise;

import java.time.LocalDate;
import java.time.Period;
import java.util.Optional;

/**
 * Applies a profile's {@link Transform} to one value of a practice extract, as {@link ValueTransformer} does to a
 * value of an HL7 message: the same transforms, the same key, the same age bands. A value the transform cannot read
 * (a postcode that is not one, a date column whose value did not parse) is removed rather than passed on.
 */
public final class ColumnTransformer {

    private final MinimisationProfile profile;
    private final LocalDate today;

    /** @param today the date age bands are worked out at (an extract has no message date) */
    public ColumnTransformer(MinimisationProfile profile, LocalDate today) {
        this.profile = profile;
        this.today = today;
    }

    /**
     * @param value the value as written in the file
     * @param date  the value read as a date when its column is a declared date column, else null
     * @return the value to send; empty text when removed
     */
    public String apply(Transform transform, String value, LocalDate date) {
        if (transform == Transform.KEEP || value.isEmpty()) {
            return value;
        }
        Optional<String> generated = switch (transform) {
            case MASK -> Optional.of(profile.mask());
            case OUTWARD_CODE -> UkPostcode.outwardCode(value);
            case BIRTH_YEAR -> Optional.ofNullable(date).map(d -> String.format("%04d", d.getYear()));
            case BIRTH_YEAR_MONTH -> Optional.ofNullable(date)
                    .map(d -> String.format("%04d-%02d", d.getYear(), d.getMonthValue()));
            case AGE_BAND -> Optional.ofNullable(date).filter(d -> !d.isAfter(today))
                    .flatMap(d -> profile.ageBands().label(Period.between(d, today).getYears()));
            case PSEUDONYMISE -> profile.pseudonymiser().map(p -> p.pseudonym(value));
            default -> Optional.empty();
        };
        return generated.orElse("");
    }
}
