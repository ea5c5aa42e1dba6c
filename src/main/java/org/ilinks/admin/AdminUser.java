package org.ilinks.admin;

import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

/** A user of the admin API as stored in admin_user. {@link #toString()} leaves the password hash out. */
public record AdminUser(String username, String passwordHash, Set<Role> roles, boolean disabled,
                        boolean mustChangePassword, Instant createdAt) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    public AdminUser {
        roles = Set.copyOf(roles);
    }

    /** Whether a user name is acceptable: 1 to 64 letters, digits and {@code . _ @ -}. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    @Override
    public String toString() {
        return "AdminUser[" + username + " " + roles + (disabled ? " disabled" : "") + "]";
    }
}
