package org.ilinks.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.ilinks.support.TestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Users and tokens in the V5 tables, on H2 and on PostgreSQL (skipped, and said so, when it is not running). */
class UserStoreTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void usersAndTokensRoundTrip(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            UserStore users = new UserStore(db.database().dataSource());
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            assertThat(users.count()).isZero();
            assertThat(users.create(new AdminUser("ann", PasswordHash.of("ann-password-1"),
                    Set.of(Role.IG, Role.BODY), false, true, now))).isTrue();
            assertThat(users.create(new AdminUser("ann", "x", Set.of(), false, false, now))).as("taken").isFalse();
            AdminUser ann = users.find("ann").orElseThrow();
            assertThat(ann.roles()).containsExactlyInAnyOrder(Role.IG, Role.BODY);
            assertThat(ann.mustChangePassword()).isTrue();
            assertThat(ann.createdAt()).isEqualTo(now);
            assertThat(PasswordHash.matches("ann-password-1", ann.passwordHash())).isTrue();

            assertThat(users.update("ann", Set.of(Role.SUPPORT), true)).isTrue();
            assertThat(users.find("ann").orElseThrow()).satisfies(u -> {
                assertThat(u.roles()).containsExactly(Role.SUPPORT);
                assertThat(u.disabled()).isTrue();
            });
            assertThat(users.setPassword("ann", PasswordHash.of("another-password"), false)).isTrue();
            assertThat(users.update("nobody", Set.of(), false)).isFalse();

            long live = users.addToken("ann", Secrets.sha256("token-a"), "ci", now, now.plus(Duration.ofDays(1)));
            long expired = users.addToken("ann", Secrets.sha256("token-b"), "old", now.minus(Duration.ofDays(2)),
                    now.minus(Duration.ofDays(1)));
            assertThat(users.useToken(Secrets.sha256("token-a"), now)).map(ApiToken::id).contains(live);
            assertThat(users.token(live).orElseThrow().lastUsedAt()).isEqualTo(now);
            assertThat(users.useToken(Secrets.sha256("token-b"), now)).as("expired").isEmpty();
            assertThat(users.useToken(Secrets.sha256("token-c"), now)).as("unknown").isEmpty();
            assertThat(users.revokeToken(live, now)).isTrue();
            assertThat(users.revokeToken(live, now)).as("only once").isFalse();
            assertThat(users.useToken(Secrets.sha256("token-a"), now)).as("revoked").isEmpty();
            assertThat(users.tokensOf("ann")).extracting(ApiToken::id).containsExactly(live, expired);
        }
    }
}
