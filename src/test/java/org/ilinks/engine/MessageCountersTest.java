package org.ilinks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Deliveries per minute over the last hour, and each service's last error, on a clock the test moves. */
class MessageCountersTest {

    /** A clock moved by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-11-26T09:00:10Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void deliveriesAreCountedPerMinuteForTheLastHourOnly() {
        HandClock clock = new HandClock();
        MessageCounters counters = new MessageCounters(clock);
        counters.delivered("ward");
        counters.delivered("ward");
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        counters.delivered("ward");
        counters.delivered("lab");

        long[] ward = counters.deliveredPerMinute("ward");
        assertThat(ward).hasSize(60);
        assertThat(ward[59]).as("the running minute").isEqualTo(1);
        assertThat(ward[58]).isEqualTo(2);
        assertThat(java.util.Arrays.stream(ward).sum()).isEqualTo(3);
        assertThat(counters.deliveredPerMinute("nobody")).containsOnly(0L);

        clock.now = clock.now.plus(Duration.ofMinutes(59));
        assertThat(counters.deliveredPerMinute("ward")[0]).as("59 minutes on, the minute of one delivery is oldest")
                .isEqualTo(1);
        assertThat(java.util.Arrays.stream(counters.deliveredPerMinute("ward")).sum()).isEqualTo(1);

        // An hour on, the bucket of that minute is used again: it must start from zero, not add to the old count.
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        counters.delivered("ward");
        assertThat(counters.deliveredPerMinute("ward")).containsOnly(0L, 1L);
        assertThat(java.util.Arrays.stream(counters.deliveredPerMinute("ward")).sum()).isEqualTo(1);
        assertThat(counters.deliveredByService()).containsEntry("ward", 4L).containsEntry("lab", 1L);
    }

    @Test
    void theLastErrorIsTheLatestFailureOrParking() {
        HandClock clock = new HandClock();
        MessageCounters counters = new MessageCounters(clock);
        assertThat(counters.lastError("ward")).isNull();
        counters.failedAttempt("ward", "the service could not be reached (ConnectException)");
        clock.now = clock.now.plusSeconds(5);
        counters.parked("ward", "rejected by the service (ACK AR)");
        assertThat(counters.lastError("ward")).isEqualTo(new MessageCounters.LastError(clock.now,
                "rejected by the service (ACK AR)"));
        assertThat(counters.failedAttemptsByService()).containsEntry("ward", 1L);
        assertThat(counters.parkedByService()).containsEntry("ward", 1L);
    }
}
