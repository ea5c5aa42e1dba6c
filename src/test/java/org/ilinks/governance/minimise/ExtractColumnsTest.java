package org.ilinks.governance.minimise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.ilinks.config.ConfigProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code extractColumns} in a profile: how it is read, and what each transform does to a column's value. */
class ExtractColumnsTest {

    @TempDir
    Path folder;

    private ProfileLoader.LoadedProfile load(String text) {
        return new ProfileLoader(Map.of("ILINKS_TEST_KEY", ProfileFiles.TEST_KEY)::get)
                .load(ProfileFiles.write(folder, "practice-feed.yaml", text));
    }

    @Test
    void columnsAreReadInOrderWithoutNeedingSegments() {
        MinimisationProfile p = load("""
                pseudonymisation:
                  keyEnv: ILINKS_TEST_KEY
                extractColumns:
                  nhs_number: pseudonymise
                  date_of_birth: age-band
                  record_type: keep
                """).profile().orElseThrow();
        assertThat(p.extractColumns()).containsExactly(new ExtractColumn("nhs_number", Transform.PSEUDONYMISE),
                new ExtractColumn("date_of_birth", Transform.AGE_BAND), new ExtractColumn("record_type", Transform.KEEP));
        assertThat(p.segments()).isEmpty();
    }

    @Test
    void pseudonymisingAColumnNeedsAKey() {
        ProfileLoader.LoadedProfile loaded = load("""
                extractColumns:
                  record_type: keep
                  nhs_number: pseudonymise
                """);
        assertThat(loaded.profile()).isEmpty();
        assertThat(loaded.problems()).extracting(ConfigProblem::toString).singleElement().satisfies(p -> assertThat(p)
                .endsWith("practice-feed.yaml:3: pseudonymise needs a key: add 'pseudonymisation:' with keyFile or keyEnv"));
    }

    @Test
    void eachTransformOnAColumnValue() {
        MinimisationProfile p = load("""
                mask: "*"
                ageBands: [0-15, 16-64, 65+]
                pseudonymisation:
                  keyEnv: ILINKS_TEST_KEY
                extractColumns:
                  nhs_number: pseudonymise
                """).profile().orElseThrow();
        LocalDate today = LocalDate.of(2026, 3, 1);
        ColumnTransformer t = new ColumnTransformer(p, today);
        LocalDate born = LocalDate.of(2010, 3, 2);

        assertThat(t.apply(Transform.KEEP, "L9 7AL", null)).isEqualTo("L9 7AL");
        assertThat(t.apply(Transform.MASK, "Smith", null)).isEqualTo("*");
        assertThat(t.apply(Transform.OUTWARD_CODE, "L9 7AL", null)).isEqualTo("L9");
        assertThat(t.apply(Transform.OUTWARD_CODE, "not a postcode", null)).isEmpty();
        assertThat(t.apply(Transform.BIRTH_YEAR, "02/03/2010", born)).isEqualTo("2010");
        assertThat(t.apply(Transform.BIRTH_YEAR_MONTH, "02/03/2010", born)).isEqualTo("2010-03");
        assertThat(t.apply(Transform.AGE_BAND, "02/03/2010", born)).isEqualTo("0-15");
        assertThat(t.apply(Transform.AGE_BAND, "not a date column", null)).isEmpty();
        String pseudonym = t.apply(Transform.PSEUDONYMISE, "9434765919", null);
        assertThat(pseudonym).matches("[0-9a-f]{32}").isEqualTo(t.apply(Transform.PSEUDONYMISE, "9434765919", null))
                .isNotEqualTo(t.apply(Transform.PSEUDONYMISE, "9434765870", null));
        assertThat(t.apply(Transform.PSEUDONYMISE, "", null)).isEmpty();
    }
}
