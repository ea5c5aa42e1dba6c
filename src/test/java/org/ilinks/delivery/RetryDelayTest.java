package org.ilinks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryDelayTest {

    @Test
    void waitsGrowByTheMultiplierUpToTheCeiling() {
        assertThat(RetryDelay.delayAfter(1, 1000, 2.0, 60_000)).isEqualTo(1000);
        assertThat(RetryDelay.delayAfter(2, 1000, 2.0, 60_000)).isEqualTo(2000);
        assertThat(RetryDelay.delayAfter(5, 1000, 2.0, 60_000)).isEqualTo(16_000);
        assertThat(RetryDelay.delayAfter(30, 1000, 2.0, 60_000)).isEqualTo(60_000);
        assertThat(RetryDelay.delayAfter(3, 100, 1.0, 500)).as("multiplier 1 keeps the wait fixed").isEqualTo(100);
    }
}
