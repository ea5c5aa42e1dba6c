package org.ilinks.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NhsNumberTest {

    @ParameterizedTest
    @ValueSource(strings = {"9434765919", "9434765870", "9876543210", "943 476 5919", " 9434765919 "})
    void acceptsNumbersWithCorrectCheckDigit(String number) {
        assertThat(NhsNumber.isValid(number)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"9434765918", "9876543211", "943476591", "94347659190", "943476591X", "943-476-5919",
            "abcdefghij"})
    void rejectsWrongCheckDigitOrShape(String number) {
        assertThat(NhsNumber.isValid(number)).isFalse();
    }

    @Test
    void firstNineDigitsGivingCheckDigitTenAreNeverValid() {
        // 100000001 weighs to a remainder of 1, so 11 - 1 = 10: no last digit can make it valid.
        for (int last = 0; last <= 9; last++) {
            assertThat(NhsNumber.isValid("100000001" + last)).as("100000001%d", last).isFalse();
        }
    }

    @Test
    void checkDigitElevenMeansZero() {
        assertThat(NhsNumber.isValid("9876543210")).isTrue();
        assertThat(NhsNumber.isValid("9434765870")).isTrue();
    }

    @Test
    void normaliseRemovesSpacesAndRefusesOtherShapes() {
        assertThat(NhsNumber.normalise("943 476 5919")).isEqualTo("9434765919");
        assertThat(NhsNumber.normalise("9434765919")).isEqualTo("9434765919");
        assertThat(NhsNumber.normalise("943 476 591")).isNull();
        assertThat(NhsNumber.normalise("943-476-5919")).isNull();
        assertThat(NhsNumber.normalise(null)).isNull();
    }
}
