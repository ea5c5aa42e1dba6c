package org.ilinks.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Session expiry and the login limiter on a clock moved by hand; password hashes. */
class SessionsAndLimiterTest {

    private final SettableClock clock = new SettableClock();

    @Test
    void aSessionEndsWhenIdleTooLongButUseKeepsItAlive() {
        Sessions sessions = new Sessions(Duration.ofMinutes(30), Duration.ofHours(8), clock);
        String id = sessions.start("ann");
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.use(id)).map(Sessions.Session::username).contains("ann");
        clock.advance(Duration.ofMinutes(29)); // 58 minutes old, 29 idle
        assertThat(sessions.use(id)).isPresent();
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.use(id)).as("idle 30 minutes").isEmpty();
        assertThat(sessions.use(id)).as("and gone for good").isEmpty();
    }

    @Test
    void aBusySessionStillEndsAtItsMaximumAge() {
        Sessions sessions = new Sessions(Duration.ofMinutes(30), Duration.ofHours(2), clock);
        String id = sessions.start("ann");
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofMinutes(17));
            assertThat(sessions.use(id)).as("after %d minutes", (i + 1) * 17).isPresent();
        }
        clock.advance(Duration.ofMinutes(1)); // 120 minutes
        assertThat(sessions.use(id)).isEmpty();
    }

    @Test
    void logoutAndDisablingEndSessions() {
        Sessions sessions = new Sessions(Duration.ofMinutes(30), Duration.ofHours(8), clock);
        String a = sessions.start("ann");
        String b = sessions.start("bob");
        String b2 = sessions.start("bob");
        assertThat(sessions.end(a)).isTrue();
        assertThat(sessions.use(a)).isEmpty();
        sessions.endAllOf("bob");
        assertThat(sessions.use(b)).isEmpty();
        assertThat(sessions.use(b2)).isEmpty();
        assertThat(sessions.use("not-a-session")).isEmpty();
        assertThat(sessions.live()).isZero();
    }

    @Test
    void failuresPerUserNameAreLimitedFromAnyAddressUntilTheWindowPasses() {
        LoginLimiter limiter = new LoginLimiter(5, Duration.ofMinutes(5), clock);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.wait("ann", "10.0.0." + i)).isZero();
            limiter.failed("ann", "10.0.0." + i);
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(limiter.wait("ann", "10.9.9.9")).as("sixth try, new address")
                .isEqualTo(Duration.ofMinutes(5).minusSeconds(50));
        assertThat(limiter.wait("bob", "10.9.9.9")).as("another user").isZero();
        clock.advance(Duration.ofMinutes(5).minusSeconds(50));
        assertThat(limiter.wait("ann", "10.9.9.9")).as("the oldest failure has left the window").isZero();
    }

    @Test
    void failuresPerAddressAreLimitedWhateverTheUserName() {
        LoginLimiter limiter = new LoginLimiter(5, Duration.ofMinutes(5), clock);
        for (int i = 0; i < 5; i++) {
            limiter.failed("user" + i, "10.0.0.1");
        }
        assertThat(limiter.wait("someone-else", "10.0.0.1")).isPositive();
        assertThat(limiter.wait("someone-else", "10.0.0.2")).isZero();
        limiter.succeeded("someone-else");
        assertThat(limiter.wait("someone-else", "10.0.0.1")).as("a success elsewhere does not clear the address")
                .isPositive();
    }

    @Test
    void passwordHashesAreSaltedSelfDescribingAndCheckOnlyTheRightPassword() {
        String a = PasswordHash.of("correct horse battery");
        String b = PasswordHash.of("correct horse battery");
        assertThat(a).startsWith("pbkdf2-sha256$210000$").isNotEqualTo(b).doesNotContain("correct");
        assertThat(PasswordHash.matches("correct horse battery", a)).isTrue();
        assertThat(PasswordHash.matches("correct horse battery", b)).isTrue();
        assertThat(PasswordHash.matches("correct horse batterz", a)).isFalse();
        assertThat(PasswordHash.matches("anything", "plain-text")).isFalse();
        assertThat(PasswordHash.matches("anything", PasswordHash.DECOY)).isFalse();
    }
}
