package org.ilinks.governance.minimise;



import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformsTest {

    private static final byte[] KEY_A = "first-service-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEY_B = "second-service-secret-987654321".getBytes(StandardCharsets.UTF_8);

    @Test
    void outwardCodeFollowsUkPostcodeRules() {
        assertThat(UkPostcode.outwardCode("L9 7AL")).contains("L9");
        assertThat(UkPostcode.outwardCode("SW1A 1AA")).contains("SW1A");
        assertThat(UkPostcode.outwardCode("sw1a1aa")).contains("SW1A");
        assertThat(UkPostcode.outwardCode("M1 1AE")).contains("M1");
        assertThat(UkPostcode.outwardCode("CR2 6XH")).contains("CR2");
        assertThat(UkPostcode.outwardCode("DN55 1PT")).contains("DN55");
        assertThat(UkPostcode.outwardCode("L9")).contains("L9");
        assertThat(UkPostcode.outwardCode("NOT KNOWN")).isEmpty();
        assertThat(UkPostcode.outwardCode("12345")).isEmpty();
    }

    @Test
    void datesReduceToYearOrYearAndMonth() {
        assertThat(Hl7Dates.year("19800101")).contains("1980");
        assertThat(Hl7Dates.yearMonth("198001011230")).contains("198001");
        assertThat(Hl7Dates.yearMonth("1980")).isEmpty();
        assertThat(Hl7Dates.yearMonth("19801301")).isEmpty();
        assertThat(Hl7Dates.date("19800230")).isEmpty();
        assertThat(Hl7Dates.year("unknown")).isEmpty();
    }

    @Test
    void ageBandsCoverEveryAgeOnce() {
        AgeBands bands = AgeBands.parse(List.of("0-17", "18-64", "65+")).bands();
        assertThat(bands.label(0)).contains("0-17");
        assertThat(bands.label(17)).contains("0-17");
        assertThat(bands.label(18)).contains("18-64");
        assertThat(bands.label(64)).contains("18-64");
        assertThat(bands.label(65)).contains("65+");
        assertThat(bands.label(120)).contains("65+");
        assertThat(bands.label(-1)).isEmpty();
    }

    @Test
    void ageBandsWithGapsOrNoOpenEndAreRefused() {
        assertThat(AgeBands.parse(List.of("0-17", "20-64", "65+")).problem())
                .isEqualTo("age band '20-64' must start at 18 so that the bands follow on from each other without "
                        + "gaps or overlaps");
        assertThat(AgeBands.parse(List.of("0-17", "18-64")).problem())
                .isEqualTo("the last age band must be open-ended, e.g. 18+");
        assertThat(AgeBands.parse(List.of("0-17", "old")).problem())
                .isEqualTo("age band 'old' must be written FROM-TO (18-64) or FROM+ (65+)");
    }

    @Test
    void pseudonymsAreStableFixedLengthAndDifferPerKey() {
        Pseudonymiser a = new Pseudonymiser(KEY_A, Pseudonymiser.Encoding.HEX, 32);
        Pseudonymiser againA = new Pseudonymiser(KEY_A.clone(), Pseudonymiser.Encoding.HEX, 32);
        Pseudonymiser b = new Pseudonymiser(KEY_B, Pseudonymiser.Encoding.HEX, 32);

        assertThat(a.pseudonym("9434765919")).isEqualTo(againA.pseudonym("9434765919"))
                .matches("[0-9a-f]{32}")
                .isNotEqualTo(b.pseudonym("9434765919"))
                .isNotEqualTo(a.pseudonym("9434765870"));
        // The HMAC-SHA256 of RFC 4231 test case 2 ("Jefe", "what do ya want for nothing?"), first 32 hex digits.
        assertThat(new Pseudonymiser("Jefe".getBytes(StandardCharsets.UTF_8), Pseudonymiser.Encoding.HEX, 32)
                .pseudonym("what do ya want for nothing?")).isEqualTo("5bdcc146bf60754e6a042426089575c7");
    }

    @Test
    void base32PseudonymsUseTheRfc4648Alphabet() {
        Pseudonymiser base32 = new Pseudonymiser(KEY_A, Pseudonymiser.Encoding.BASE32, 51);
        assertThat(base32.pseudonym("9434765919")).matches("[A-Z2-7]{51}");
        assertThatThrownBy(() -> new Pseudonymiser(KEY_A, Pseudonymiser.Encoding.BASE32, 52))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pseudonymiserNeverShowsItsKey() {
        assertThat(new Pseudonymiser(KEY_A, Pseudonymiser.Encoding.HEX, 32).toString())
                .doesNotContain("first-service-secret");
    }

    @Test
    void theSameIdentifierGetsTheSamePseudonymWhateverDelimitersCarryIt(@TempDir Path folder) {
        ProfileFiles.write(folder, "keys/k.key", ProfileFiles.TEST_KEY);
        Path file = ProfileFiles.write(folder, "svc.yaml", """
                pseudonymisation:
                  keyFile: keys/k.key
                segments:
                  PID:
                    PID-3.1: pseudonymise
                """);
        Minimiser minimiser = new Minimiser(ProfileFiles.load(file));
        String standard = "MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.6\rPID|||AB\\T\\12^^^X^PI\r";
        String custom = "MSH#!@%*#A#B#C#D#20260101##ADT!A01#1#P#2.6\rPID###AB&12!!!X!PI\r";
        String expected = new Pseudonymiser(ProfileFiles.TEST_KEY.getBytes(StandardCharsets.UTF_8),
                Pseudonymiser.Encoding.HEX, 32).pseudonym("AB&12");

        assertThat(MinimiserTest.segment(minimiser.minimise(standard).text(), "PID")).isEqualTo("PID|||" + expected);
        assertThat(MinimiserTest.segment(minimiser.minimise(custom).text(), "PID")).isEqualTo("PID###" + expected);
    }
}
