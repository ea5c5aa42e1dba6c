package org.ilinks.governance.minimise;

import org.ilinks.hl7.Delimiters;

import java.time.LocalDate;
import java.time.Period;
import java.util.Optional;

/**
 * Applies one {@link Transform} to the raw text of a field repetition or component of one message. A value the
 * transform cannot read (a postcode that is not one, a date that is not a date) is removed rather than passed on,
 * because passing it on unchanged could leak exactly what the profile meant to reduce.
 */
final class ValueTransformer {

    private final MinimisationProfile profile;
    private final Delimiters delimiters;
    private final LocalDate referenceDate;
    private final ChangeLog changes;

    ValueTransformer(MinimisationProfile profile, Delimiters delimiters, LocalDate referenceDate, ChangeLog changes) {
        this.profile = profile;
        this.delimiters = delimiters;
        this.referenceDate = referenceDate;
        this.changes = changes;
    }

    /** The new raw text for {@code raw} at {@code path}; empty text means removed. */
    String apply(Transform transform, String raw, String path) {
        if (transform == Transform.KEEP) {
            return raw;
        }
        if (raw.isEmpty()) {
            return raw;
        }
        if (transform == Transform.REMOVE) {
            changes.record(path, "removed");
            return "";
        }
        Optional<String> generated = switch (transform) {
            case MASK -> Optional.of(profile.mask());
            case OUTWARD_CODE -> UkPostcode.outwardCode(delimiters.unescape(raw));
            case BIRTH_YEAR -> Hl7Dates.year(raw);
            case BIRTH_YEAR_MONTH -> Hl7Dates.yearMonth(raw);
            case AGE_BAND -> Hl7Dates.date(raw).flatMap(this::ageBand);
            case PSEUDONYMISE -> profile.pseudonymiser().map(p -> p.pseudonym(delimiters.unescape(raw)));
            default -> throw new IllegalStateException("unhandled transform " + transform);
        };
        if (generated.isEmpty()) {
            changes.record(path, "removed (not readable for " + transform.profileName() + ")");
            return "";
        }
        changes.record(path, transform.profileName());
        return delimiters.escape(generated.get());
    }

    private Optional<String> ageBand(LocalDate birth) {
        if (birth.isAfter(referenceDate)) {
            return Optional.empty();
        }
        return profile.ageBands().label(Period.between(birth, referenceDate).getYears());
    }
}
