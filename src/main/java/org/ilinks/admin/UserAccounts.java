package org.ilinks.admin;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * The user changes the API and the {@code ilinks users} command both make, with the same rules: names and passwords
 * checked the same way, a first password always to be changed by its user, and never no enabled admin left.
 * Problems are {@link IllegalArgumentException}s (bad input) or {@link IllegalStateException}s (refused), whose
 * messages never hold a password.
 */
public final class UserAccounts {

    private final UserStore users;
    private final Clock clock;

    public UserAccounts(UserStore users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    /**
     * Creates a user who must change their password at first login.
     *
     * @param password the first password, or null for a one-time one
     * @return the one-time password when one was made, else empty
     * @throws IllegalArgumentException for a bad name or password
     * @throws IllegalStateException    when the name is taken
     */
    public Optional<String> create(String username, Set<Role> roles, String password) {
        if (!AdminUser.validName(username)) {
            throw new IllegalArgumentException("username must be 1 to 64 letters, digits, '.', '_', '@' or '-'");
        }
        if (password != null && AccountEndpoints.passwordProblem(password, "password") != null) {
            throw new IllegalArgumentException(AccountEndpoints.passwordProblem(password, "password"));
        }
        String initial = password != null ? password : Secrets.oneTimePassword();
        // Whoever set the first password knows it: the user must choose their own before doing anything else.
        if (!users.create(new AdminUser(username, PasswordHash.of(initial), roles, false, true, clock.instant()))) {
            throw new IllegalStateException("a user with that name exists already");
        }
        return password == null ? Optional.of(initial) : Optional.empty();
    }

    /**
     * Sets roles and whether the user is disabled.
     *
     * @return false when there is no such user
     * @throws IllegalStateException when no enabled admin would be left
     */
    public boolean update(String username, Set<Role> roles, boolean disabled) {
        if (users.find(username).isEmpty()) {
            return false;
        }
        String refusal = refusal(username, roles, disabled);
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        return users.update(username, roles, disabled);
    }

    /** Why this change to a user would be refused (it would leave no enabled admin), or null. */
    public String refusal(String username, Set<Role> roles, boolean disabled) {
        boolean stillAdmin = !disabled && roles.contains(Role.ADMIN);
        if (!stillAdmin && users.list().stream().noneMatch(u -> !u.username().equals(username) && !u.disabled()
                && u.roles().contains(Role.ADMIN))) {
            return "refused: no enabled admin would be left";
        }
        return null;
    }

    /** Gives the user a new one-time password they must change; empty when there is no such user. */
    public Optional<String> resetPassword(String username) {
        String password = Secrets.oneTimePassword();
        return users.setPassword(username, PasswordHash.of(password), true) ? Optional.of(password) : Optional.empty();
    }
}
